using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcomInsight.Web.Features.Display;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EcomInsight.Tests.Web.Pages;

/// <summary>
/// Renders a Razor component to HTML with <see cref="HtmlRenderer"/> (bUnit is not in the package copy), with the
/// services the shared components inject (<see cref="Formats"/> with the default pound display).
/// </summary>
internal static partial class ComponentRenderer
{
    /// <summary>The component's HTML with entities decoded (so JSON in attributes reads as JSON).</summary>
    public static async Task<string> RenderAsync<TComponent>(Dictionary<string, object?> parameters) where TComponent : IComponent
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new Formats(Options.Create(new DisplayOptions())));
        await using var provider = services.BuildServiceProvider();
        await using var renderer = new HtmlRenderer(provider, provider.GetRequiredService<ILoggerFactory>());
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());
        return WebUtility.HtmlDecode(html);
    }

    /// <summary>The plotly figure (<c>data-chart</c> JSON) of the chart element with id <paramref name="id"/>.</summary>
    public static JsonElement Chart(string html, string id)
    {
        var match = Regex.Match(html, $"id=\"{Regex.Escape(id)}\"[^>]*data-chart=\"(.*?)\"></div>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No chart '{id}' in the markup.");
        using var document = JsonDocument.Parse(match.Groups[1].Value);
        return document.RootElement.Clone();
    }

    /// <summary>A trace of <paramref name="figure"/> by name.</summary>
    public static JsonElement Trace(JsonElement figure, string name)
        => figure.GetProperty("data").EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);

    /// <summary>A JSON array of numbers as doubles.</summary>
    public static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    /// <summary>A JSON array of strings.</summary>
    public static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>Markup with runs of white space collapsed to one space.</summary>
    public static string Squash(string html) => WhiteSpace().Replace(html, " ");

    /// <summary><see cref="Squash"/>, then no space left between adjacent tags ("&gt; &lt;" becomes "&gt;&lt;").</summary>
    public static string Squeeze(string html) => Squash(html).Replace("> <", "><", StringComparison.Ordinal);

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
