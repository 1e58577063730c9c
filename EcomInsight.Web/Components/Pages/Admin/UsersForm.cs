using System.Globalization;

namespace EcomInsight.Web.Components.Pages.Admin;

/// <summary>
/// Reads the multi-valued fields of the user forms (checkboxes <c>roles</c>, multi-select <c>categories</c>)
/// from the posted form; Blazor's form binding maps indexed names only, and unchecked boxes are not posted.
/// </summary>
internal static class UsersForm
{
    public static IReadOnlyCollection<string> Roles(HttpContext context) =>
        context.Request.HasFormContentType ? [.. context.Request.Form["roles"].OfType<string>().Distinct(StringComparer.Ordinal)] : [];

    /// <summary>Posted category ids; a value that is not an integer is ignored (the select only offers integers).</summary>
    public static IReadOnlyCollection<int> Categories(HttpContext context) =>
        context.Request.HasFormContentType
            ? [.. context.Request.Form["categories"].Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null)
                .OfType<int>().Distinct()]
            : [];
}
