using EcomInsight.Domain.Data.Identity;
using EcomInsight.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EcomInsight.Tests.Web.Security;

/// <summary>Return-URL checks, generated passwords against the app's own policy, and the policy itself.</summary>
[Trait("Category", "Unit")]
public sealed class SecurityUnitTests
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/products?q=lantern", true)]
    [InlineData("/plans/7#lines", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("products", false)]
    [InlineData("//evil.example/x", false)]
    [InlineData("/\\evil.example", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("/ok\r\nSet-Cookie: x=1", false)]
    public void OnlyAppRelativePathsAreFollowedAfterSignIn(string? url, bool local) => Assert.Equal(local, LocalUrl.IsLocal(url));

    [Fact]
    public async Task GeneratedPasswordsPassThePasswordPolicyAndDiffer()
    {
        var (manager, validator) = Policy();
        var passwords = Enumerable.Range(0, 200).Select(_ => PasswordGenerator.Create()).ToList();

        foreach (var password in passwords)
        {
            Assert.Equal(16, password.Length);
            var result = await validator.ValidateAsync(manager, new AppUser(), password);
            Assert.True(result.Succeeded, password + ": " + string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => PasswordGenerator.Create(11));
    }

    [Theory]
    [InlineData("Twelve-chars1", true)]
    [InlineData("twelvechars12", false)] // no upper case
    [InlineData("TWELVECHARS12", false)] // no lower case
    [InlineData("Twelvecharsxx", false)] // no digit
    [InlineData("Eleven-char1", true)]   // 12 with the hyphen
    [InlineData("Short-pass1", false)]   // 11
    public async Task PasswordsNeedTwelveCharactersWithUpperLowerAndADigit(string password, bool accepted)
    {
        var (manager, validator) = Policy();

        var result = await validator.ValidateAsync(manager, new AppUser(), password);

        Assert.Equal(accepted, result.Succeeded);
    }

    [Fact]
    public void FiveFailuresLockAnAccountForFifteenMinutes()
    {
        var options = new IdentityOptions();
        IdentityServiceCollectionExtensions.ConfigureIdentity(options);

        Assert.Equal((5, TimeSpan.FromMinutes(15), true), (options.Lockout.MaxFailedAccessAttempts, options.Lockout.DefaultLockoutTimeSpan,
            options.Lockout.AllowedForNewUsers));
    }

    private static (UserManager<AppUser> Manager, PasswordValidator<AppUser> Validator) Policy()
    {
        var options = new IdentityOptions();
        IdentityServiceCollectionExtensions.ConfigureIdentity(options);
#pragma warning disable CA2000 // a store-less manager, only used to carry the options to the validator
        var manager = new UserManager<AppUser>(new NoStore(), Options.Create(options), null!, [], [], null!, null!, null!, null!);
#pragma warning restore CA2000
        return (manager, new PasswordValidator<AppUser>());
    }

    private sealed class NoStore : IUserStore<AppUser>
    {
        public void Dispose()
        {
        }

        public Task<string> GetUserIdAsync(AppUser user, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<string?> GetUserNameAsync(AppUser user, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task SetUserNameAsync(AppUser user, string? userName, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<string?> GetNormalizedUserNameAsync(AppUser user, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task SetNormalizedUserNameAsync(AppUser user, string? normalizedName, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IdentityResult> CreateAsync(AppUser user, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IdentityResult> UpdateAsync(AppUser user, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<IdentityResult> DeleteAsync(AppUser user, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AppUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<AppUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
