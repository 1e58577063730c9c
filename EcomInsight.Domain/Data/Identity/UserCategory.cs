namespace EcomInsight.Domain.Data.Identity;

/// <summary>
/// A category assigned to a category manager (table <c>user_category</c>): the manager sees and plans that
/// category and every category below it in the tree.
/// </summary>
public sealed class UserCategory
{
    /// <summary>The user (<see cref="AppUser"/> id).</summary>
    public required string UserId { get; set; }

    /// <summary>The category (<see cref="Category.CategoryId"/>).</summary>
    public int CategoryId { get; set; }

    /// <summary>The category, when loaded.</summary>
    public Category? Category { get; set; }
}
