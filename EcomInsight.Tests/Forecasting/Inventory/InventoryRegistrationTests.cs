using EcomInsight.Domain;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Forecasting.Replenishment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EcomInsight.Tests.Forecasting.Inventory;

[Trait("Category", "Unit")]
public sealed class InventoryRegistrationTests
{
    [Fact]
    public async Task TheStepsResolveByTheirPipelineKeysWithConfiguredOptions()
    {
        await using var provider = Build(new() { ["Inventory:ServiceLevelA"] = "0.99", ["Inventory:SimulationLeadTimeDays:UK"] = "3" });
        await using var scope = provider.CreateAsyncScope();

        Assert.IsType<InventoryStep>(scope.ServiceProvider.GetRequiredKeyedService<IPipelineStep>(PipelineSteps.Inventory));
        Assert.IsType<PlansStep>(scope.ServiceProvider.GetRequiredKeyedService<IPipelineStep>(PipelineSteps.Plans));
        var options = provider.GetRequiredService<IOptions<InventoryOptions>>().Value;
        Assert.Equal((0.99, 3, 14), (options.ServiceLevelA, options.SimulationLeadTimeDays["UK"], options.SimulationLeadTimeDays["EU"]));
    }

    [Fact]
    public async Task InvalidSettingsFailWithEveryProblemNamed()
    {
        await using var provider = Build(new() { ["Inventory:ServiceLevelB"] = "1", ["Inventory:AbcACutoff"] = "0.99" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<InventoryOptions>>().Value);

        Assert.Equal(
            ["Inventory:AbcACutoff and AbcBCutoff must satisfy 0 < A ≤ B ≤ 1.", "Inventory:ServiceLevelB must be in [0.5, 1)."],
            error.Failures);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:EcomInsight"] = "Host=127.0.0.1;Database=unused";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddEcomInsightDomain(configuration)
            .AddInventory()
            .BuildServiceProvider();
    }
}
