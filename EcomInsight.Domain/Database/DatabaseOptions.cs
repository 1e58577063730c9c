namespace EcomInsight.Domain.Database;

/// <summary>
/// Database settings. The connection string comes from configuration <c>ConnectionStrings:EcomInsight</c>
/// (environment variable <c>ConnectionStrings__EcomInsight</c>); when that is absent, from the project-local
/// cluster (<see cref="LocalCluster"/>) once <c>EcomInsight.Web db start</c> has created it. The other
/// settings bind from the <c>Database</c> section.
/// </summary>
public sealed class DatabaseOptions
{
    /// <summary>Configuration section of the non-connection settings.</summary>
    public const string SectionName = "Database";

    /// <summary>Name under <c>ConnectionStrings</c>.</summary>
    public const string ConnectionStringName = "EcomInsight";

    /// <summary>What to set when no connection string can be resolved (the start-up validation message).</summary>
    public const string MissingConnectionStringMessage =
        "No database connection string. Set ConnectionStrings:EcomInsight in configuration (environment variable " +
        "ConnectionStrings__EcomInsight), e.g. 'Host=db.example;Port=5432;Database=ecominsight;Username=app;Password=...', " +
        "or create the local cluster with 'EcomInsight.Web db start'.";

    /// <summary>Npgsql connection string of the application database.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// When true (the default), a missing <c>ConnectionStrings:EcomInsight</c> falls back to the project-local
    /// cluster's connection string. Set false in deployments so a forgotten setting fails loudly.
    /// </summary>
    public bool UseLocalCluster { get; set; } = true;

    /// <summary>
    /// When true (the default) the application applies pending migrations at start-up, under the migrator's
    /// advisory lock; when false it only verifies that the schema is current and unchanged. Either way it
    /// refuses to start when an applied migration's checksum changed.
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}
