// The guest agent of `packetcounter matrix`: loads each variant's BPF object on the kernel it
// runs on, with the verifier's stats log, test-runs one frame per traffic class and prints
// what the kernel said, line by line. The host turns those lines into figures and verifies
// the counts itself: the agent judges nothing.
//
// It is static, so a guest needs nothing but its kernel. As /init of an initramfs it mounts
// proc and sysfs, writes to the second serial port (the first carries the kernel's console)
// and powers the guest off. Natively, `packetcounter-agent MANIFEST` writes to stdout.
//
// The manifest (tab-separated, first line "pcagent-manifest<TAB>1"):
//   variant<TAB>NAME<TAB>OBJECT<TAB>PROGRAM
//   frame<TAB>CLASS<TAB>HEX
// Every output line starts "pcagent<TAB>1<TAB>KIND"; schemas in the host's AgentReport.
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#define PROTOCOL 1
#define LOG_SIZE (1 << 20)
#define MAX_FRAMES 64
#define MAX_FRAME 2048

struct frame {
	char name[64];
	unsigned char bytes[MAX_FRAME];
	size_t length;
};

static FILE *out;
static struct frame frames[MAX_FRAMES];
static int frame_count;
static char libbpf_last[512];

static void emit(const char *kind, const char *format, ...)
{
	va_list args;
	fprintf(out, "pcagent\t%d\t%s", PROTOCOL, kind);
	if (format && *format) {
		fputc('\t', out);
		va_start(args, format);
		vfprintf(out, format, args);
		va_end(args);
	}
	fputc('\n', out);
}

// libbpf's own last warning: why a load failed when the verifier never saw the program.
static int keep_libbpf_warning(enum libbpf_print_level level, const char *format, va_list args)
{
	char line[sizeof(libbpf_last)];
	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), format, args);
	line[strcspn(line, "\n")] = '\0';
	if (line[0] && !strstr(line, "-- BEGIN") && !strstr(line, "-- END"))
		snprintf(libbpf_last, sizeof(libbpf_last), "%s", line);
	return 0;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_frame(char *name, char *hex)
{
	struct frame *frame;
	size_t digits = strlen(hex);
	if (frame_count == MAX_FRAMES || digits % 2 || digits / 2 > MAX_FRAME)
		return -1;
	frame = &frames[frame_count];
	snprintf(frame->name, sizeof(frame->name), "%s", name);
	for (size_t i = 0; i < digits / 2; i++) {
		int high = hex_value(hex[2 * i]), low = hex_value(hex[2 * i + 1]);
		if (high < 0 || low < 0)
			return -1;
		frame->bytes[i] = (unsigned char)(high << 4 | low);
	}
	frame->length = digits / 2;
	frame_count++;
	return 0;
}

static int is_per_cpu(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

// Every entry with a non-zero u64 slot, per-CPU values summed over the possible CPUs: what
// user space reads as the map's counts. Maps with other key or value shapes are not counts.
static void dump_maps(struct bpf_object *obj, const char *class_name)
{
	struct bpf_map *map;
	int cpus = libbpf_num_possible_cpus();
	bpf_object__for_each_map(map, obj) {
		__u32 key_size = bpf_map__key_size(map), value_size = bpf_map__value_size(map);
		int per_cpu = is_per_cpu(bpf_map__type(map));
		size_t slots = value_size / 8, stride = (value_size + 7) / 8 * 8;
		size_t buffer_size = stride * (per_cpu ? (size_t)cpus : 1);
		int fd = bpf_map__fd(map);
		__u32 key, next;
		unsigned long long *values, *sums;
		const void *previous = NULL;
		if (key_size != 4 || value_size % 8 || fd < 0 || strchr(bpf_map__name(map), '.'))
			continue;
		values = calloc(1, buffer_size);
		sums = calloc(slots, sizeof(*sums));
		while (values && sums && bpf_map_get_next_key(fd, previous, &next) == 0) {
			int nonzero = 0;
			key = next;
			previous = &key;
			memset(sums, 0, slots * sizeof(*sums));
			if (bpf_map_lookup_elem(fd, &key, values))
				continue;
			for (size_t cpu = 0; cpu < (per_cpu ? (size_t)cpus : 1); cpu++)
				for (size_t slot = 0; slot < slots; slot++)
					sums[slot] += values[cpu * stride / 8 + slot];
			for (size_t slot = 0; slot < slots; slot++)
				nonzero |= sums[slot] != 0;
			if (!nonzero)
				continue;
			fprintf(out, "pcagent\t%d\tentry\t%s\t%s\t%u", PROTOCOL, class_name,
				bpf_map__name(map), key);
			for (size_t slot = 0; slot < slots; slot++)
				fprintf(out, "\t%llu", sums[slot]);
			fputc('\n', out);
		}
		free(values);
		free(sums);
	}
}

// Helper calls left in the program as the kernel runs it: what the verifier did not inline.
// -1 where the kernel withholds the translated image.
static int helper_calls(int fd, __u32 xlated_bytes)
{
	struct bpf_prog_info info;
	__u32 info_size = sizeof(info);
	struct bpf_insn *insns = calloc(1, xlated_bytes ? xlated_bytes : 1);
	int calls = 0;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = xlated_bytes;
	info.xlated_prog_insns = (__u64)(unsigned long)insns;
	if (!insns || bpf_obj_get_info_by_fd(fd, &info, &info_size) || !info.xlated_prog_insns) {
		free(insns);
		return -1;
	}
	for (__u32 i = 0; i < xlated_bytes / sizeof(*insns); i++)
		calls += insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == 0;
	free(insns);
	return calls;
}

static void emit_log(const char *log)
{
	const char *line = log;
	while (*line) {
		size_t length = strcspn(line, "\n");
		if (length)
			emit("log", "%.*s", (int)length, line);
		line += length;
		if (*line)
			line++;
	}
}

static void run_variant(const char *name, const char *path, const char *program_name, char *log)
{
	struct bpf_object *obj;
	struct bpf_program *program, *other;
	struct bpf_map *map;
	struct bpf_prog_info info;
	__u32 info_size = sizeof(info);
	int err;

	emit("variant", "%s", name);
	libbpf_last[0] = '\0';
	log[0] = '\0';
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		emit("refused", "%d\t%s", errno, libbpf_last);
		return;
	}
	program = bpf_object__find_program_by_name(obj, program_name);
	if (!program) {
		emit("refused", "%d\tthe object has no program %s", ENOENT, program_name);
		bpf_object__close(obj);
		return;
	}
	bpf_object__for_each_program(other, obj)
		bpf_program__set_autoload(other, other == program);
	bpf_program__set_log_buf(program, log, LOG_SIZE);
	bpf_program__set_log_level(program, 4);
	err = bpf_object__load(obj);
	emit_log(log);
	if (err) {
		emit("refused", "%d\t%s", -err, libbpf_last);
		bpf_object__close(obj);
		return;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_program__fd(program), &info, &info_size) == 0)
		emit("loaded", "%u\t%u\t%u\t%d", info.xlated_prog_len, info.jited_prog_len,
		     info.verified_insns,
		     helper_calls(bpf_program__fd(program), info.xlated_prog_len));
	else
		emit("loaded", "0\t0\t0\t-1");
	bpf_object__for_each_map(map, obj)
		if (!strchr(bpf_map__name(map), '.'))
			emit("map", "%s\t%d", bpf_map__name(map), bpf_map__type(map));
	for (int i = 0; i < frame_count; i++) {
		unsigned char data_out[MAX_FRAME + 256];
		LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = frames[i].bytes,
			    .data_size_in = (__u32)frames[i].length, .data_out = data_out,
			    .data_size_out = sizeof(data_out), .repeat = 1);
		err = bpf_prog_test_run_opts(bpf_program__fd(program), &run);
		emit("run", "%s\t%u\t%d", frames[i].name, run.retval, err ? -errno : 0);
		dump_maps(obj, frames[i].name);
	}
	bpf_object__close(obj);
}

// As /init: the kernel's console is on the first serial port, ours on the second.
static FILE *guest_output(void)
{
	struct termios raw;
	int fd;
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	fd = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
	if (fd < 0)
		return fdopen(dup(1), "w");
	if (tcgetattr(fd, &raw) == 0) {
		cfmakeraw(&raw);
		tcsetattr(fd, TCSANOW, &raw);
	}
	return fdopen(fd, "w");
}

int main(int argc, char **argv)
{
	const int as_init = getpid() == 1;
	const char *manifest_path = as_init ? "/manifest" : argc == 2 ? argv[1] : NULL;
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct utsname host;
	char line[2 * MAX_FRAME + 512];
	char *log;
	FILE *manifest;

	if (!manifest_path) {
		fprintf(stderr, "usage: %s MANIFEST\n", argv[0]);
		return 2;
	}
	out = as_init ? guest_output() : stdout;
	if (!out)
		out = stdout;
	setvbuf(out, NULL, _IOLBF, 0);
	setrlimit(RLIMIT_MEMLOCK, &unlimited);
	libbpf_set_print(keep_libbpf_warning);
	uname(&host);
	emit("hello", "%s\t%d", host.release, libbpf_num_possible_cpus());

	log = malloc(LOG_SIZE);
	manifest = fopen(manifest_path, "r");
	if (!log || !manifest || !fgets(line, sizeof(line), manifest) ||
	    strcmp(line, "pcagent-manifest\t1\n") != 0) {
		emit("error", "cannot read the manifest %s (version 1)", manifest_path);
	} else {
		// Frames first: each variant runs every frame.
		long variants_at = ftell(manifest);
		while (fgets(line, sizeof(line), manifest)) {
			char *kind = strtok(line, "\t\n"), *name = strtok(NULL, "\t\n");
			char *hex = strtok(NULL, "\t\n");
			if (kind && name && hex && strcmp(kind, "frame") == 0 && parse_frame(name, hex))
				emit("error", "frame %s is not a frame the agent can hold", name);
		}
		fseek(manifest, variants_at, SEEK_SET);
		while (fgets(line, sizeof(line), manifest)) {
			char *kind = strtok(line, "\t\n"), *name = strtok(NULL, "\t\n");
			char *path = strtok(NULL, "\t\n"), *program = strtok(NULL, "\t\n");
			if (kind && name && path && program && strcmp(kind, "variant") == 0)
				run_variant(name, path, program, log);
		}
	}
	emit("end", NULL);
	fflush(out);
	if (as_init) {
		tcdrain(fileno(out));
		sync();
		reboot(RB_POWER_OFF);
	}
	return 0;
}
