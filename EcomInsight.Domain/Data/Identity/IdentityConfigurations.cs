using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace EcomInsight.Domain.Data.Identity;

// ASP.NET Core Identity's tables under the snake_case names of migration 0005. IdentityDbContext's own
// OnModelCreating runs first (keys, relationships, concurrency stamps); these restate only names and lengths.

/// <summary>Maps <see cref="AppUser"/> to <c>app_user</c>.</summary>
internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> builder)
    {
        builder.ToTable("app_user");
        builder.Property(u => u.Id).HasColumnName("id");
        builder.Property(u => u.UserName).HasColumnName("user_name").HasMaxLength(256);
        builder.Property(u => u.NormalizedUserName).HasColumnName("normalized_user_name").HasMaxLength(256);
        builder.Property(u => u.Email).HasColumnName("email").HasMaxLength(256);
        builder.Property(u => u.NormalizedEmail).HasColumnName("normalized_email").HasMaxLength(256);
        builder.Property(u => u.EmailConfirmed).HasColumnName("email_confirmed");
        builder.Property(u => u.PasswordHash).HasColumnName("password_hash");
        builder.Property(u => u.SecurityStamp).HasColumnName("security_stamp");
        builder.Property(u => u.ConcurrencyStamp).HasColumnName("concurrency_stamp");
        builder.Property(u => u.PhoneNumber).HasColumnName("phone_number");
        builder.Property(u => u.PhoneNumberConfirmed).HasColumnName("phone_number_confirmed");
        builder.Property(u => u.TwoFactorEnabled).HasColumnName("two_factor_enabled");
        builder.Property(u => u.LockoutEnd).HasColumnName("lockout_end");
        builder.Property(u => u.LockoutEnabled).HasColumnName("lockout_enabled");
        builder.Property(u => u.AccessFailedCount).HasColumnName("access_failed_count");
        builder.Property(u => u.DisplayName).HasColumnName("display_name");
        builder.Property(u => u.TimeZone).HasColumnName("time_zone");
        builder.Property(u => u.DigestFrequency).HasColumnName("digest_frequency");
        builder.Property(u => u.IsActive).HasColumnName("is_active");
        builder.Property(u => u.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        builder.HasIndex(u => u.NormalizedUserName).HasDatabaseName("app_user_normalized_user_name_idx").IsUnique();
        builder.HasIndex(u => u.NormalizedEmail).HasDatabaseName("app_user_normalized_email_idx");
    }
}

/// <summary>Maps <see cref="IdentityRole"/> to <c>app_role</c>.</summary>
internal sealed class AppRoleConfiguration : IEntityTypeConfiguration<IdentityRole>
{
    public void Configure(EntityTypeBuilder<IdentityRole> builder)
    {
        builder.ToTable("app_role");
        builder.Property(r => r.Id).HasColumnName("id");
        builder.Property(r => r.Name).HasColumnName("name").HasMaxLength(256);
        builder.Property(r => r.NormalizedName).HasColumnName("normalized_name").HasMaxLength(256);
        builder.Property(r => r.ConcurrencyStamp).HasColumnName("concurrency_stamp");
        builder.HasIndex(r => r.NormalizedName).HasDatabaseName("app_role_normalized_name_idx").IsUnique();
    }
}

/// <summary>Maps <see cref="IdentityUserRole{TKey}"/> to <c>app_user_role</c>.</summary>
internal sealed class AppUserRoleConfiguration : IEntityTypeConfiguration<IdentityUserRole<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserRole<string>> builder)
    {
        builder.ToTable("app_user_role");
        builder.Property(r => r.UserId).HasColumnName("user_id");
        builder.Property(r => r.RoleId).HasColumnName("role_id");
    }
}

/// <summary>Maps <see cref="IdentityUserClaim{TKey}"/> to <c>app_user_claim</c>.</summary>
internal sealed class AppUserClaimConfiguration : IEntityTypeConfiguration<IdentityUserClaim<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserClaim<string>> builder)
    {
        builder.ToTable("app_user_claim");
        builder.Property(c => c.Id).HasColumnName("id");
        builder.Property(c => c.UserId).HasColumnName("user_id");
        builder.Property(c => c.ClaimType).HasColumnName("claim_type");
        builder.Property(c => c.ClaimValue).HasColumnName("claim_value");
    }
}

/// <summary>Maps <see cref="IdentityUserLogin{TKey}"/> to <c>app_user_login</c>.</summary>
internal sealed class AppUserLoginConfiguration : IEntityTypeConfiguration<IdentityUserLogin<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<string>> builder)
    {
        builder.ToTable("app_user_login");
        builder.Property(l => l.LoginProvider).HasColumnName("login_provider").HasMaxLength(128);
        builder.Property(l => l.ProviderKey).HasColumnName("provider_key").HasMaxLength(128);
        builder.Property(l => l.ProviderDisplayName).HasColumnName("provider_display_name");
        builder.Property(l => l.UserId).HasColumnName("user_id");
    }
}

/// <summary>Maps <see cref="IdentityUserToken{TKey}"/> to <c>app_user_token</c>.</summary>
internal sealed class AppUserTokenConfiguration : IEntityTypeConfiguration<IdentityUserToken<string>>
{
    public void Configure(EntityTypeBuilder<IdentityUserToken<string>> builder)
    {
        builder.ToTable("app_user_token");
        builder.Property(t => t.UserId).HasColumnName("user_id");
        builder.Property(t => t.LoginProvider).HasColumnName("login_provider").HasMaxLength(128);
        builder.Property(t => t.Name).HasColumnName("name").HasMaxLength(128);
        builder.Property(t => t.Value).HasColumnName("value");
    }
}

/// <summary>Maps <see cref="IdentityRoleClaim{TKey}"/> to <c>app_role_claim</c>.</summary>
internal sealed class AppRoleClaimConfiguration : IEntityTypeConfiguration<IdentityRoleClaim<string>>
{
    public void Configure(EntityTypeBuilder<IdentityRoleClaim<string>> builder)
    {
        builder.ToTable("app_role_claim");
        builder.Property(c => c.Id).HasColumnName("id");
        builder.Property(c => c.RoleId).HasColumnName("role_id");
        builder.Property(c => c.ClaimType).HasColumnName("claim_type");
        builder.Property(c => c.ClaimValue).HasColumnName("claim_value");
    }
}

/// <summary>Maps <see cref="UserCategory"/> to <c>user_category</c>.</summary>
internal sealed class UserCategoryConfiguration : IEntityTypeConfiguration<UserCategory>
{
    public void Configure(EntityTypeBuilder<UserCategory> builder)
    {
        builder.ToTable("user_category");
        builder.HasKey(u => new { u.UserId, u.CategoryId });
        builder.Property(u => u.UserId).HasColumnName("user_id");
        builder.Property(u => u.CategoryId).HasColumnName("category_id");
        builder.HasOne<AppUser>().WithMany().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(u => u.Category).WithMany().HasForeignKey(u => u.CategoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Maps <see cref="AuditLogEntry"/> to <c>audit_log</c>.</summary>
internal sealed class AuditLogEntryConfiguration : IEntityTypeConfiguration<AuditLogEntry>
{
    public void Configure(EntityTypeBuilder<AuditLogEntry> builder)
    {
        builder.ToTable("audit_log");
        builder.HasKey(a => a.AuditId);
        builder.Property(a => a.AuditId).HasColumnName("audit_id").UseIdentityAlwaysColumn();
        builder.Property(a => a.At).HasColumnName("at").HasDefaultValueSql("now()");
        builder.Property(a => a.UserId).HasColumnName("user_id");
        builder.Property(a => a.Action).HasColumnName("action");
        builder.Property(a => a.Subject).HasColumnName("subject");
        builder.Property(a => a.Detail).HasColumnName("detail");
        builder.HasOne<AppUser>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(a => a.At).IsDescending().HasDatabaseName("audit_log_at_idx");
    }
}
