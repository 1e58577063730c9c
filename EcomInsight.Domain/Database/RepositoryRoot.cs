namespace EcomInsight.Domain.Database;

/// <summary>
/// Finds the repository root: the folder that holds <c>EcomInsight.sln</c>. The local database cluster
/// (<c>.local/pg</c>), its password file and the shared data (<c>../shared</c>) are located from it.
/// </summary>
public static class RepositoryRoot
{
    /// <summary>Environment variable that names the root explicitly (a published binary run from elsewhere).</summary>
    public const string EnvironmentVariable = "ECOMINSIGHT_HOME";

    /// <summary>The solution file whose folder is the root.</summary>
    public const string MarkerFile = "EcomInsight.sln";

    /// <summary>
    /// Returns the root: <c>ECOMINSIGHT_HOME</c> when set, otherwise the first folder containing
    /// <c>EcomInsight.sln</c> walking up from the current directory, then from <see cref="AppContext.BaseDirectory"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No root can be found; the message says what to set.</exception>
    public static string Locate() =>
        TryLocate() ?? throw new InvalidOperationException(
            $"Cannot find the EcomInsight repository root (a folder containing {MarkerFile}) above '{Environment.CurrentDirectory}' " +
            $"or '{AppContext.BaseDirectory}'. Run from inside the repository or set {EnvironmentVariable} to its path.");

    /// <summary>Like <see cref="Locate"/> but returns <see langword="null"/> when no root is found.</summary>
    public static string? TryLocate()
    {
        var explicitRoot = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitRoot))
        {
            return Path.GetFullPath(explicitRoot);
        }
        return WalkUp(Environment.CurrentDirectory) ?? WalkUp(AppContext.BaseDirectory);
    }

    private static string? WalkUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, MarkerFile)))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
