using EcomInsight.Domain.Data.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace EcomInsight.Domain.Data;

/// <summary>
/// The application's one DbContext. The schema is owned by the SQL files in <c>migrations/</c> (applied by
/// <see cref="Database.Migrator"/>), never by EF: each <c>IEntityTypeConfiguration</c> in
/// <c>Data/Configurations</c> restates the names and types of the SQL, and an integration test compares this
/// model with the migrated schema. Bulk paths (imports, forecast writes) use Npgsql binary COPY instead.
/// It is also ASP.NET Core Identity's store (users, roles, claims: tables <c>app_user</c>... of migration 0005,
/// mapped in <c>Data/Identity</c>).
/// </summary>
public sealed class EcomInsightDbContext(DbContextOptions<EcomInsightDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole, string>(options)
{
    /// <summary>Categories assigned to category managers.</summary>
    public DbSet<UserCategory> UserCategories => Set<UserCategory>();

    /// <summary>Administrative audit trail.</summary>
    public DbSet<AuditLogEntry> AuditLog => Set<AuditLogEntry>();

    /// <summary>Category tree.</summary>
    public DbSet<Category> Categories => Set<Category>();

    /// <summary>Markets (countries).</summary>
    public DbSet<Market> Markets => Set<Market>();

    /// <summary>Warehouses and locations.</summary>
    public DbSet<Warehouse> Warehouses => Set<Warehouse>();

    /// <summary>Customers (ids only).</summary>
    public DbSet<Customer> Customers => Set<Customer>();

    /// <summary>Products (SKUs).</summary>
    public DbSet<Product> Products => Set<Product>();

    /// <summary>Import lineage.</summary>
    public DbSet<ImportBatch> ImportBatches => Set<ImportBatch>();

    /// <summary>Rejected import lines.</summary>
    public DbSet<ImportReject> ImportRejects => Set<ImportReject>();

    /// <summary>Sales and return lines (keyless; query only).</summary>
    public DbSet<SalesFact> SalesFacts => Set<SalesFact>();

    /// <summary>Non-product lines (fees, postage, vouchers...).</summary>
    public DbSet<FeeLine> FeeLines => Set<FeeLine>();

    /// <summary>Stock adjustments.</summary>
    public DbSet<StockAdjustment> StockAdjustments => Set<StockAdjustment>();

    /// <summary>The migrator's history (read only).</summary>
    public DbSet<SchemaMigration> SchemaMigrations => Set<SchemaMigration>();

    /// <summary>Daily rollup per SKU.</summary>
    public DbSet<SalesDailySku> SalesDailySku => Set<SalesDailySku>();

    /// <summary>Weekly (Monday) rollup per SKU.</summary>
    public DbSet<SalesWeeklySku> SalesWeeklySku => Set<SalesWeeklySku>();

    /// <summary>Daily rollup per category.</summary>
    public DbSet<SalesDailyCategory> SalesDailyCategory => Set<SalesDailyCategory>();

    /// <summary>Weekly (Monday) rollup per category.</summary>
    public DbSet<SalesWeeklyCategory> SalesWeeklyCategory => Set<SalesWeeklyCategory>();

    /// <summary>Daily platform rollup.</summary>
    public DbSet<SalesDailyPlatform> SalesDailyPlatform => Set<SalesDailyPlatform>();

    /// <summary>Weekly (Monday) platform rollup.</summary>
    public DbSet<SalesWeeklyPlatform> SalesWeeklyPlatform => Set<SalesWeeklyPlatform>();

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Identity's model first (keys, relationships); the configurations then rename it to 0005's tables.
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EcomInsightDbContext).Assembly);
    }
}
