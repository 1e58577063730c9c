using EcomInsight.Domain.Ingest;
using EcomInsight.Domain.Pipeline;
using EcomInsight.Domain.Warnings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EcomInsight.Forecasting.Warnings;

/// <summary>Registers the warnings feature.</summary>
public static class WarningsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="WarningOptions"/> (section <c>Warnings</c>, validated at start), <see cref="WarningWriter"/>,
    /// <see cref="WarningActions"/> (scoped: acknowledge/resolve for the warnings pages), <see cref="SalesIngest"/>
    /// (the near-real-time ingest behind <c>POST /api/v1/sales</c>) and the keyed pipeline steps
    /// <c>warnings</c> (<see cref="WarningEvaluationStep"/>) and <c>monitor</c> (<see cref="SalesMonitorStep"/>).
    /// Needs AddEcomInsightDomain (data source and context); adds <see cref="TimeProvider.System"/> if no clock is
    /// registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    public static IServiceCollection AddEcomInsightWarnings(this IServiceCollection services)
    {
        services.AddOptions<WarningOptions>()
            .BindConfiguration(WarningOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.AnomalyWarningScore >= o.AnomalyThreshold && o.DegradationCriticalRatio >= o.DegradationRatio &&
                           o.OverstockDaysCritical >= o.OverstockDaysAB,
                "Warnings: AnomalyWarningScore must be ≥ AnomalyThreshold, DegradationCriticalRatio ≥ DegradationRatio and OverstockDaysCritical ≥ OverstockDaysAB.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WarningWriter>();
        services.AddScoped<WarningActions>();
        services.AddScoped<SalesIngest>();
        services.AddKeyedScoped<IPipelineStep, WarningEvaluationStep>(PipelineSteps.Warnings);
        services.AddKeyedScoped<IPipelineStep, SalesMonitorStep>(PipelineSteps.Monitor);
        return services;
    }
}
