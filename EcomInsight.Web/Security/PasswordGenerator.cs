using System.Security.Cryptography;

namespace EcomInsight.Web.Security;

/// <summary>Random passwords that satisfy the password policy (for seeded demo users and admin suggestions).</summary>
public static class PasswordGenerator
{
    // No look-alikes (0/O, 1/l/I), so a password read off a terminal can be typed.
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "-_.!";

    /// <summary>
    /// A password of <paramref name="length"/> characters (at least 12) from a cryptographic random source,
    /// with at least one upper-case letter, one lower-case letter, one digit and one symbol: about 5.9 bits per
    /// character, 94 bits at the default 16.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is below 12.</exception>
    public static string Create(int length = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 12);
        const string all = Upper + Lower + Digits + Symbols;
        var chars = new char[length];
        chars[0] = Upper[RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[1] = Lower[RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[2] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
        chars[3] = Symbols[RandomNumberGenerator.GetInt32(Symbols.Length)];
        for (var i = 4; i < length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
