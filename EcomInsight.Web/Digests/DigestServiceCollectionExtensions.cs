using EcomInsight.Domain.Data.Identity;
using EcomInsight.Domain.Pipeline;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EcomInsight.Web.Digests;

/// <summary>Registers email digests: settings, sender, composer, renderer, the two pipeline steps and the admin page's service.</summary>
public static class DigestServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="EmailOptions"/> (section <c>Email</c>) and <see cref="PublicUrlOptions"/> (section <c>App</c>),
    /// both validated at start; the keyed <see cref="IPipelineStep"/>s <see cref="PipelineSteps.DigestDaily"/> and
    /// <see cref="PipelineSteps.DigestWeekly"/>; <see cref="EmailAdmin"/>. Needs the domain's data source.
    /// </summary>
    public static IServiceCollection AddDigests(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>();
        services.AddOptions<PublicUrlOptions>().BindConfiguration(PublicUrlOptions.SectionName)
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "App:PublicBaseUrl must be an absolute http or https URL, e.g. https://planning.example.com.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<EmailSender>();
        services.AddSingleton<DigestRenderer>();
        services.AddScoped<DigestComposer>();
        services.AddScoped<DigestDeliveries>();
        services.AddScoped<EmailAdmin>();
        services.AddKeyedScoped<IPipelineStep>(PipelineSteps.DigestDaily,
            (provider, _) => ActivatorUtilities.CreateInstance<DigestStep>(provider, DigestFrequencies.Daily));
        services.AddKeyedScoped<IPipelineStep>(PipelineSteps.DigestWeekly,
            (provider, _) => ActivatorUtilities.CreateInstance<DigestStep>(provider, DigestFrequencies.Weekly));
        return services;
    }

    private sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
    {
        public ValidateOptionsResult Validate(string? name, EmailOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
