using System.Net;
using System.Text.RegularExpressions;
using EcomInsight.Web.Components.Email;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace EcomInsight.Web.Digests;

/// <summary>A rendered email: subject, HTML part and plain-text part.</summary>
/// <param name="Subject">Subject line.</param>
/// <param name="Html">The HTML document (inline styles, table layout).</param>
/// <param name="Text">The plain-text alternative (LF line ends, no trailing blank lines).</param>
public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// Renders a <see cref="DigestModel"/> into its HTML and plain-text parts with ASP.NET Core's
/// <see cref="HtmlRenderer"/> (<see cref="DigestEmail"/> and <see cref="DigestText"/> components), outside any request.
/// </summary>
public sealed partial class DigestRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
{
    /// <summary>Renders both parts of <paramref name="model"/>.</summary>
    public async Task<RenderedEmail> RenderAsync(DigestModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        await using var renderer = new HtmlRenderer(services, loggerFactory);
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(DigestEmail.Model)] = model });
        var (html, text) = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var htmlPart = await renderer.RenderComponentAsync<DigestEmail>(parameters);
            var textPart = await renderer.RenderComponentAsync<DigestText>(parameters);
            return (htmlPart.ToHtmlString(), textPart.ToHtmlString());
        });
        return new RenderedEmail(model.Subject, html, ToPlainText(text));
    }

    /// <summary>
    /// The text component's output as plain text: the renderer HTML-encodes text, so it is decoded; trailing
    /// spaces go, runs of blank lines become one.
    /// </summary>
    internal static string ToPlainText(string rendered)
    {
        var text = WebUtility.HtmlDecode(rendered).ReplaceLineEndings("\n");
        text = TrailingSpaces().Replace(text, "");
        text = BlankLines().Replace(text, "\n\n");
        return text.Trim('\n') + "\n";
    }

    [GeneratedRegex("[ \\t]+$", RegexOptions.Multiline)]
    private static partial Regex TrailingSpaces();

    [GeneratedRegex("\\n{3,}")]
    private static partial Regex BlankLines();
}
