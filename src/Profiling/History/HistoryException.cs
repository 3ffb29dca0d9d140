namespace PacketCounter.Profiling.History;

/// <summary>A history store, or a run folder, that cannot be used; the message is one line saying what and what to do.</summary>
public sealed class HistoryException(string message, Exception? inner = null) : Exception(message, inner);
