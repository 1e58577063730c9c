using EcomInsight.Web.Features.Catalog;
using EcomInsight.Web.Features.Dashboard;
using EcomInsight.Web.Features.Display;
using EcomInsight.Web.Features.Lineage;
using EcomInsight.Web.Features.Runs;
using EcomInsight.Web.Features.Sales;

namespace EcomInsight.Web.Features;

/// <summary>Registers the web layer's services: display formats and the pages' query services.</summary>
public static class WebServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DisplayOptions"/> (section <c>Display</c>), <see cref="Formats"/> and the scoped query
    /// services the pages inject. Needs the domain's <c>EcomInsightDbContext</c> (AddEcomInsightDomain).
    /// </summary>
    public static IServiceCollection AddEcomInsightWeb(this IServiceCollection services)
    {
        services.AddOptions<DisplayOptions>()
            .BindConfiguration(DisplayOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.CurrencyCode) && o.CurrencyDecimals is >= 0 and <= 4,
                "Display:CurrencyCode must be set and Display:CurrencyDecimals must be between 0 and 4.")
            .ValidateOnStart();
        services.AddSingleton<Formats>();
        services.AddScoped<SalesQueries>();
        services.AddScoped<CategoryQueries>();
        services.AddScoped<ProductQueries>();
        services.AddScoped<ImportQueries>();
        services.AddScoped<DashboardQueries>();
        services.AddScoped<ForecastQueries>();
        services.AddScoped<SkuPlanningQueries>();
        services.AddScoped<RunQueries>();
        return services;
    }
}
