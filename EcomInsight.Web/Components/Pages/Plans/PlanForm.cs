namespace EcomInsight.Web.Components.Pages.Plans;

/// <summary>What the plan page's forms post (fields named <c>f.Version</c>, <c>f.Comment</c>, <c>f.Lines[i].Quantity</c>...).</summary>
public sealed class PlanForm
{
    /// <summary>The plan version the user loaded (optimistic concurrency).</summary>
    public int Version { get; set; }

    /// <summary>Comment or rejection reason.</summary>
    public string? Comment { get; set; }

    /// <summary>Edited lines (lines form only).</summary>
    public List<PlanLineInput>? Lines { get; set; }
}

/// <summary>One posted line.</summary>
public sealed class PlanLineInput
{
    /// <summary>Line number.</summary>
    public int LineNo { get; set; }

    /// <summary>Quantity as typed (parsed by the page so a bad value gets a message beside the field).</summary>
    public string? Quantity { get; set; }

    /// <summary>Note as typed.</summary>
    public string? Note { get; set; }
}
