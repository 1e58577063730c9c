using System.Diagnostics;
using Microsoft.AspNetCore.HttpLogging;

namespace EcomInsight.Web.Health;

/// <summary>
/// One structured log line per request from ASP.NET Core's HTTP logging middleware (category
/// <c>Microsoft.AspNetCore.HttpLogging.HttpLoggingMiddleware</c>, level Information): method, path, status,
/// duration in ms, plus <c>TraceId</c> (the W3C trace id of the request's <see cref="Activity"/>, the id the
/// error page shows) and <c>User</c> (the signed-in name or <c>-</c>). Query strings, headers and bodies are
/// not logged (search terms, cookies, API keys). Health probes are not logged.
/// </summary>
public static class RequestLogging
{
    /// <summary>Registers HTTP logging (combined into one line per request) and the trace-id interceptor.</summary>
    public static IServiceCollection AddEcomInsightRequestLogging(this IServiceCollection services)
    {
        services.AddHttpLogging(options =>
        {
            options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath |
                                    HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            options.CombineLogs = true;
        });
        services.AddSingleton<IHttpLoggingInterceptor, TraceIdInterceptor>();
        return services;
    }

    private sealed class TraceIdInterceptor : IHttpLoggingInterceptor
    {
        public ValueTask OnRequestAsync(HttpLoggingInterceptorContext logContext)
        {
            if (logContext.HttpContext.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                logContext.LoggingFields = HttpLoggingFields.None;
                return ValueTask.CompletedTask;
            }
            logContext.AddParameter("TraceId", Activity.Current?.TraceId.ToHexString() ?? logContext.HttpContext.TraceIdentifier);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnResponseAsync(HttpLoggingInterceptorContext logContext)
        {
            if (logContext.LoggingFields != HttpLoggingFields.None)
            {
                logContext.AddParameter("User", logContext.HttpContext.User.Identity?.Name ?? "-");
            }
            return ValueTask.CompletedTask;
        }
    }
}
