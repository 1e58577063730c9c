namespace EcomInsight.Domain.Catalog;

/// <summary>
/// Keyword rules that derive a product category from its description, read from an editable
/// text file (<c>category-rules.txt</c>, shipped next to the executable; see the file's header for
/// the syntax). Rules are tried top to bottom and the first matching keyword wins; a description
/// that matches nothing (or is missing) gets <see cref="OtherCategory"/>.
/// </summary>
/// <remarks>
/// Matching works on words: the description is upper-cased and split on every character that is
/// not an ASCII letter or digit ("T-LIGHT" is the words T and LIGHT). A keyword matches a word
/// exactly, a keyword ending in <c>*</c> matches words starting with it, and a quoted keyword of
/// several words matches consecutive words. Cost: O(rules × keywords × words) per description,
/// fine for the few thousand products of a catalogue.
/// </remarks>
public sealed class CategoryRules
{
    /// <summary>Fallback category for descriptions no rule matches.</summary>
    public const string OtherCategory = "Other";

    /// <summary>File name of the shipped rules, copied next to the executable.</summary>
    public const string DefaultFileName = "category-rules.txt";

    private readonly List<(string Category, string[][] Keywords)> _rules;

    private CategoryRules(List<(string, string[][])> rules) => _rules = rules;

    /// <summary>Category names in file order, followed by <see cref="OtherCategory"/>.</summary>
    public IReadOnlyList<string> Categories => [.. _rules.Select(r => r.Category).Distinct(StringComparer.Ordinal), OtherCategory];

    /// <summary>Path of the shipped rules file (next to the application's assemblies).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, DefaultFileName);

    /// <summary>Loads rules from <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">A line is not "Category: keyword, ..." (message names file and line).</exception>
    public static CategoryRules Load(string path) => Parse(File.ReadAllLines(path), path);

    /// <summary>Parses rule lines; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="FormatException">A malformed line.</exception>
    public static CategoryRules Parse(IEnumerable<string> lines, string source = "rules")
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rules = new List<(string, string[][])>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"{source} line {number}: expected \"Category: keyword, keyword\" but found \"{line}\"");
            }
            var category = string.Join('/', line[..colon].Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (category.Length == 0)
            {
                throw new FormatException($"{source} line {number}: empty category name");
            }
            var keywords = line[(colon + 1)..]
                .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(k => Words(k.Trim('"')))
                .Where(k => k.Length > 0)
                .ToArray();
            if (keywords.Length == 0)
            {
                throw new FormatException($"{source} line {number}: category \"{category}\" has no keywords");
            }
            rules.Add((category, keywords));
        }
        return new CategoryRules(rules);
    }

    /// <summary>Category (a name or slash path) for <paramref name="description"/>.</summary>
    public string Categorize(string? description)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            return OtherCategory;
        }
        var words = Words(description, keepStar: false);
        foreach (var (category, keywords) in _rules)
        {
            foreach (var keyword in keywords)
            {
                if (Matches(words, keyword))
                {
                    return category;
                }
            }
        }
        return OtherCategory;
    }

    private static bool Matches(string[] words, string[] keyword)
    {
        for (var start = 0; start + keyword.Length <= words.Length; start++)
        {
            var all = true;
            for (var j = 0; j < keyword.Length && all; j++)
            {
                var k = keyword[j];
                all = k[^1] == '*'
                    ? words[start + j].StartsWith(k.AsSpan(0, k.Length - 1), StringComparison.Ordinal)
                    : string.Equals(words[start + j], k, StringComparison.Ordinal);
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }

    private static string[] Words(string text, bool keepStar = true)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || (keepStar && text[i] == '*'));
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToUpperInvariant());
                start = -1;
            }
        }
        return [.. words];
    }
}
