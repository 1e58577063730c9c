using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace EcomInsight.Tests.Integration.Digests;

/// <summary>A message the SMTP server accepted, as Python's email package decoded it.</summary>
public sealed record ReceivedMail(
    string MailFrom, IReadOnlyList<string> RcptTos, string From, string To, string Subject, string? Digest,
    string ContentType, string? Text, string? Html, string EmlPath);

/// <summary>
/// A real SMTP server on loopback: Debian's <c>python3-aiosmtpd</c> running <c>smtp_sink.py</c> (next to this
/// file) on a free port, writing what it accepts to a temporary folder. It can be stopped and started again on
/// the same port (a server that is down), and told to refuse given recipients with 550.
/// Uses <c>/usr/bin/python3</c>, the interpreter Debian's package is installed for. Shared by a test class
/// (<c>IClassFixture</c>); each test calls <see cref="ResetAsync"/> first.
/// </summary>
public sealed class SmtpServer : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"ecominsight-smtp-{Guid.NewGuid():N}");
    private Process? _process;

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; } = FreePort();

    private string Inbox => Path.Combine(_folder, "inbox");

    private string RejectFile => Path.Combine(_folder, "reject.txt");

    /// <summary>Starts the server on <see cref="Port"/>.</summary>
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Inbox);
        await StartAgainAsync();
    }

    /// <summary>A clean slate for the next test: running, inbox empty, every recipient accepted.</summary>
    public async Task ResetAsync()
    {
        if (_process is null)
        {
            await StartAgainAsync();
        }
        await RejectAsync();
        foreach (var file in Directory.EnumerateFiles(Inbox))
        {
            File.Delete(file);
        }
    }

    /// <summary>(Re)starts the server process on <see cref="Port"/>; returns once it listens.</summary>
    /// <exception cref="InvalidOperationException">It did not start within 30 s (message has its output; is python3-aiosmtpd installed?).</exception>
    public async Task StartAgainAsync()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Integration", "Digests", "smtp_sink.py");
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-u", script, Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Inbox, RejectFile })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Cannot start {Python}.");
        var errors = process.StandardError.ReadToEndAsync();
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line != "ready")
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException(
                $"The SMTP test server did not start (needs Debian's python3-aiosmtpd for {Python}): {line} {await errors}");
        }
        _process = process;
    }

    /// <summary>Stops the server: connections to <see cref="Port"/> are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null)
        {
            return;
        }
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Makes the server refuse (550) mail to <paramref name="addresses"/>; no argument accepts everyone again.</summary>
    public Task RejectAsync(params string[] addresses) => File.WriteAllLinesAsync(RejectFile, addresses);

    /// <summary>Every message accepted so far, in the order received.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        return [.. Directory.EnumerateFiles(Inbox, "*.json").Order(StringComparer.Ordinal).Select(path =>
        {
            var mail = JsonSerializer.Deserialize<ReceivedMail>(File.ReadAllText(path), options)!;
            return mail with { EmlPath = Path.ChangeExtension(path, ".eml") };
        })];
    }

    /// <summary>The messages whose envelope recipient is <paramref name="address"/>.</summary>
    public IReadOnlyList<ReceivedMail> To(string address) =>
        [.. Messages().Where(m => m.RcptTos.Contains(address, StringComparer.OrdinalIgnoreCase))];

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
