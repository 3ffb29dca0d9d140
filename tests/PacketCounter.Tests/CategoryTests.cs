using System.Reflection;
using PacketCounter.Tests.Kernel;

namespace PacketCounter.Tests;

/// <summary>Every test class says what it needs, and a Pure one needs nothing a kernel test does.</summary>
[Trait(Category.Name, Category.Pure)]
public class CategoryTests
{
    private static readonly string[] Needs = [Category.Pure, Category.Kernel, Category.Server];

    private static IEnumerable<Type> TestClasses() =>
        typeof(CategoryTests)
            .Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetMethods().Any(IsTest));

    private static bool IsTest(MethodInfo method) => method.GetCustomAttributes<FactAttribute>().Any();

    private static IReadOnlyList<string> CategoriesOf(MemberInfo member) =>
        member
            .GetCustomAttributesData()
            .Where(a =>
                a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == Category.Name
            )
            .Select(a => (string)a.ConstructorArguments[1].Value!)
            .ToList();

    [Fact]
    public void Every_test_class_says_whether_it_is_pure_or_needs_the_kernel_or_a_server()
    {
        var classes = TestClasses().ToList();
        Assert.NotEmpty(classes);
        Assert.All(
            classes,
            c =>
            {
                var needs = CategoriesOf(c).Intersect(Needs).ToList();
                Assert.True(needs.Count > 0, $"{c.Name} has no Category trait of {string.Join(", ", Needs)}");
                Assert.True(
                    !needs.Contains(Category.Pure) || needs.Count == 1,
                    $"{c.Name} is Pure and also {string.Join(", ", needs)}"
                );
            }
        );
    }

    [Fact]
    public void A_class_in_the_kernel_collection_or_guarded_against_kernel_leaks_is_a_kernel_test()
    {
        foreach (var c in TestClasses())
        {
            var kernelBound =
                typeof(KernelLeakGuard).IsAssignableFrom(c)
                || c.GetCustomAttributesData()
                    .Any(a =>
                        a.AttributeType == typeof(CollectionAttribute)
                        && (string?)a.ConstructorArguments[0].Value == KernelCollection.Name
                    );
            var categories = CategoriesOf(c);
            if (kernelBound)
                Assert.True(
                    categories.Contains(Category.Kernel),
                    $"{c.Name} touches the kernel but is not marked Kernel"
                );
            else
                Assert.False(
                    categories.Contains(Category.Kernel),
                    $"{c.Name} is marked Kernel but neither guards against leaks nor runs in the kernel collection"
                );
        }
    }

    [Fact]
    public void Method_traits_only_add_server_or_slow()
    {
        foreach (var method in TestClasses().SelectMany(c => c.GetMethods()).Where(IsTest))
            Assert.All(
                CategoriesOf(method),
                category => Assert.Contains(category, new[] { Category.Server, Category.Slow })
            );
    }
}
