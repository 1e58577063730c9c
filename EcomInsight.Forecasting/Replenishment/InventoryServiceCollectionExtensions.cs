using EcomInsight.Domain.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EcomInsight.Forecasting.Replenishment;

/// <summary>Registers the inventory area: options and the <c>inventory</c> and <c>plans</c> pipeline steps.</summary>
public static class InventoryServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="InventoryOptions"/> to the <c>Inventory</c> configuration section (validated at start) and
    /// registers <see cref="InventoryStep"/> and <see cref="PlansStep"/> as keyed scoped <see cref="IPipelineStep"/>
    /// services under <see cref="PipelineSteps.Inventory"/> and <see cref="PipelineSteps.Plans"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    public static IServiceCollection AddInventory(this IServiceCollection services)
    {
        services.AddOptions<InventoryOptions>()
            .BindConfiguration(InventoryOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<InventoryOptions>, InventoryOptionsValidator>();
        services.AddKeyedScoped<IPipelineStep, InventoryStep>(PipelineSteps.Inventory);
        services.AddKeyedScoped<IPipelineStep, PlansStep>(PipelineSteps.Plans);
        return services;
    }
}

/// <summary>Fails start-up with every problem <see cref="InventoryOptions.Validate"/> finds.</summary>
internal sealed class InventoryOptionsValidator : IValidateOptions<InventoryOptions>
{
    public ValidateOptionsResult Validate(string? name, InventoryOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
