using EcomInsight.Domain.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace EcomInsight.Forecasting.Scoring;

/// <summary>Registers the training and scoring steps.</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="PipelineOptions"/> (section <c>Pipeline</c>, validated at start) and the keyed scoped
    /// <see cref="IPipelineStep"/>s <see cref="PipelineSteps.Train"/> and <see cref="PipelineSteps.Score"/>.
    /// Needs the domain's <c>NpgsqlDataSource</c> (AddEcomInsightDomain).
    /// </summary>
    public static IServiceCollection AddEcomInsightPipeline(this IServiceCollection services)
    {
        services.AddOptions<PipelineOptions>()
            .BindConfiguration(PipelineOptions.SectionName)
            .Validate(o => o.Clock is "data" or "wall", "Pipeline:Clock must be 'data' or 'wall'.")
            .Validate(o => o.WeeklyHorizon >= 1 && o.DailyHorizon >= 1, "Pipeline:WeeklyHorizon and Pipeline:DailyHorizon must be at least 1.")
            .Validate(o => o.SelectOrigins >= 1, "Pipeline:SelectOrigins must be at least 1.")
            .Validate(o => o.MaxSkus >= 0, "Pipeline:MaxSkus must be 0 (all SKUs) or more.")
            .Validate(o => o.RetrainBiasPeriods >= 1 && o.RetrainBiasThreshold > 0, "Pipeline:RetrainBiasPeriods must be at least 1 and Pipeline:RetrainBiasThreshold above 0.")
            .Validate(o => IsValid(() => o.ParsedFrequencies()), "Pipeline:Frequencies must list weekly and/or daily.")
            .Validate(o => IsValid(() => Reconciliation.Parse(o.Reconciliation)), "Pipeline:Reconciliation must be bottom-up or top-down.")
            .ValidateOnStart();
        services.AddKeyedScoped<IPipelineStep, TrainStep>(PipelineSteps.Train);
        services.AddKeyedScoped<IPipelineStep, ScoreStep>(PipelineSteps.Score);
        return services;
    }

    private static bool IsValid(Action check)
    {
        try
        {
            check();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
