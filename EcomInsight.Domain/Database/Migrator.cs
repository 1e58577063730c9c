using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EcomInsight.Domain.Database;

/// <summary>A migration the migrator applied, with its duration.</summary>
/// <param name="Version">The file's version.</param>
/// <param name="FileName">E.g. <c>0002_rollups.sql</c>.</param>
/// <param name="ExecutionMs">Wall time of the file's statements in milliseconds.</param>
public sealed record AppliedMigration(int Version, string FileName, long ExecutionMs);

/// <summary>Outcome of <see cref="Migrator.MigrateAsync"/>.</summary>
/// <param name="Applied">Files applied by this call, in order (empty when the schema was current).</param>
/// <param name="AlreadyApplied">How many files had been applied before this call.</param>
public sealed record MigrationReport(IReadOnlyList<AppliedMigration> Applied, int AlreadyApplied);

/// <summary>Outcome of <see cref="Migrator.VerifyAsync"/>: the files not yet applied.</summary>
/// <param name="Pending">Files the database lacks, in version order.</param>
/// <param name="AlreadyApplied">How many files are applied (with matching checksums).</param>
public sealed record MigrationStatus(IReadOnlyList<Migration> Pending, int AlreadyApplied);

/// <summary>
/// The database and the migration files disagree: an applied file's checksum changed, or the database holds
/// a version this build does not know. The application refuses to start until an operator resolves it.
/// </summary>
public sealed class MigrationMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MigrationMismatchException(string message, string fileName) : base(message) => FileName = fileName;

    /// <summary>Creates the exception.</summary>
    public MigrationMismatchException() { FileName = ""; }

    /// <summary>Creates the exception.</summary>
    public MigrationMismatchException(string message) : base(message) { FileName = ""; }

    /// <summary>Creates the exception.</summary>
    public MigrationMismatchException(string message, Exception innerException) : base(message, innerException) { FileName = ""; }

    /// <summary>The offending file, e.g. <c>0002_rollups.sql</c>.</summary>
    public string FileName { get; }
}

/// <summary>
/// Applies the versioned SQL files of <c>migrations/</c> (embedded in this assembly) in version order and
/// records each in <c>schema_migration</c> (version, name, SHA-256 checksum, applied_at, execution_ms).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Concurrency: the whole run holds the session-level advisory lock <see cref="AdvisoryLockKey"/>, so
/// of two instances starting together one migrates and the other waits, then finds nothing to do.</item>
/// <item>Atomicity: each file runs in its own transaction together with its history row, so a failing file
/// leaves no trace. A file whose first line is <c>-- migrate:no-transaction</c> runs statement by statement in
/// autocommit mode (for statements PostgreSQL refuses in a transaction block); if it fails part-way, what ran
/// stays and the file is not recorded, so such files must be written to be re-runnable
/// (<c>IF NOT EXISTS</c>).</item>
/// <item>Drift: before applying anything, every applied file's checksum is compared with the embedded file; a
/// difference raises <see cref="MigrationMismatchException"/> naming the file. Applied files are never edited:
/// write a new migration instead.</item>
/// </list>
/// </remarks>
public sealed class Migrator
{
    /// <summary>Key of the PostgreSQL advisory lock held while migrating (ASCII "EcomIns1").</summary>
    public const long AdvisoryLockKey = 0x45636F6D496E7331;

    private const string HistoryTableSql = """
        CREATE TABLE IF NOT EXISTS schema_migration (
            version       integer     PRIMARY KEY,
            name          text        NOT NULL,
            checksum      text        NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
            applied_at    timestamptz NOT NULL DEFAULT now(),
            execution_ms  bigint      NOT NULL
        )
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly IReadOnlyList<Migration> _migrations;
    private readonly ILogger _logger;

    /// <summary>Creates a migrator over explicit files (tests) or, when <paramref name="migrations"/> is null,
    /// over the embedded ones.</summary>
    /// <param name="dataSource">The target database.</param>
    /// <param name="migrations">Files to apply; <see cref="Migration.LoadEmbedded"/> when null.</param>
    /// <param name="logger">Receives one line per applied file; may be null.</param>
    public Migrator(NpgsqlDataSource dataSource, IEnumerable<Migration>? migrations = null, ILogger<Migrator>? logger = null)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _migrations = migrations is null ? Migration.LoadEmbedded() : Migration.Order(migrations);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The files this migrator knows, in version order.</summary>
    public IReadOnlyList<Migration> Migrations => _migrations;

    /// <summary>Applies every pending file, holding the advisory lock throughout.</summary>
    /// <param name="cancellationToken">Cancels the wait for the lock or the running statement.</param>
    /// <exception cref="MigrationMismatchException">An applied file changed, or the database is ahead of this build.</exception>
    /// <exception cref="InvalidOperationException">A statement failed; the message names the file, the statement's
    /// line and PostgreSQL's error (the <see cref="PostgresException"/> is the inner exception).</exception>
    public async Task<MigrationReport> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await LockAsync(connection, cancellationToken).ConfigureAwait(false);
            try
            {
                await ExecuteAsync(connection, null, HistoryTableSql, cancellationToken).ConfigureAwait(false);
                var applied = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
                var pending = CheckAgainstHistory(applied);
                var done = new List<AppliedMigration>(pending.Count);
                foreach (var migration in pending)
                {
                    done.Add(await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false));
                }
                return new MigrationReport(done, applied.Count);
            }
            finally
            {
                // The connection returns to the pool; never leave the session lock behind on it.
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None)
                    .ConfigureAwait(false);
            }
        }
    }

    /// <summary>Checks the history without changing anything: refuses drift and lists pending files.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="MigrationMismatchException">An applied file changed, or the database is ahead of this build.</exception>
    public async Task<MigrationStatus> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var exists = new NpgsqlCommand("SELECT to_regclass('schema_migration') IS NOT NULL", connection);
            await using (exists.ConfigureAwait(false))
            {
                if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                {
                    return new MigrationStatus(_migrations, 0);
                }
            }
            var applied = await ReadHistoryAsync(connection, cancellationToken).ConfigureAwait(false);
            return new MigrationStatus(CheckAgainstHistory(applied), applied.Count);
        }
    }

    private async Task LockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tryLock = new NpgsqlCommand($"SELECT pg_try_advisory_lock({AdvisoryLockKey})", connection);
        await using (tryLock.ConfigureAwait(false))
        {
            if ((bool)(await tryLock.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return;
            }
        }
        _logger.LogInformation("Another instance is migrating this database; waiting for it to finish.");
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadHistoryAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var history = new Dictionary<int, (string, string)>();
        var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migration ORDER BY version", connection);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    history.Add(reader.GetInt32(0), (reader.GetString(1), reader.GetString(2)));
                }
            }
        }
        return history;
    }

    private List<Migration> CheckAgainstHistory(Dictionary<int, (string Name, string Checksum)> applied)
    {
        var known = _migrations.ToDictionary(m => m.Version);
        foreach (var (version, (name, checksum)) in applied.OrderBy(kv => kv.Key))
        {
            if (!known.TryGetValue(version, out var migration))
            {
                var file = $"{version:D4}_{name}.sql";
                throw new MigrationMismatchException(
                    $"The database has migration {file} applied, but this build does not contain it: the database " +
                    "was migrated by a newer version of EcomInsight. Run that version (or newer).", file);
            }
            if (!string.Equals(migration.Checksum, checksum, StringComparison.Ordinal) ||
                !string.Equals(migration.Name, name, StringComparison.Ordinal))
            {
                throw new MigrationMismatchException(
                    $"Migration {migration.FileName} was changed after it was applied to this database " +
                    $"(applied as {version:D4}_{name}.sql with checksum {checksum}, the file now has {migration.Checksum}). " +
                    "Applied migrations must never be edited: restore the file and put the change in a new migration.",
                    migration.FileName);
            }
        }
        return _migrations.Where(m => !applied.ContainsKey(m.Version)).ToList();
    }

    private async Task<AppliedMigration> ApplyAsync(NpgsqlConnection connection, Migration migration,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<SqlStatement> statements;
        try
        {
            statements = SqlScript.Split(migration.Sql);
        }
        catch (FormatException ex)
        {
            throw new InvalidOperationException($"Migration {migration.FileName}: {ex.Message}", ex);
        }
        var stopwatch = Stopwatch.StartNew();
        if (migration.RunsInTransaction)
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await RunStatementsAsync(connection, transaction, migration, statements, cancellationToken).ConfigureAwait(false);
                var elapsed = stopwatch.ElapsedMilliseconds;
                await RecordAsync(connection, transaction, migration, elapsed, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Applied migration {File} in {Ms} ms.", migration.FileName, elapsed);
                return new AppliedMigration(migration.Version, migration.FileName, elapsed);
            }
        }
        await RunStatementsAsync(connection, null, migration, statements, cancellationToken).ConfigureAwait(false);
        var total = stopwatch.ElapsedMilliseconds;
        await RecordAsync(connection, null, migration, total, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Applied migration {File} (no transaction) in {Ms} ms.", migration.FileName, total);
        return new AppliedMigration(migration.Version, migration.FileName, total);
    }

    private static async Task RunStatementsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        Migration migration, IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        // One statement per round trip: each is sent verbatim as a single batch command (no parameter
        // parsing), and a failure names the statement's line. Migrations are few, so the round trips are cheap.
        foreach (var statement in statements)
        {
            var batch = new NpgsqlBatch(connection, transaction) { Timeout = 0 };
            await using (batch.ConfigureAwait(false))
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Sql));
                try
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException ex)
                {
                    throw new InvalidOperationException(
                        $"Migration {migration.FileName} failed (statement starting on line {statement.Line}): " +
                        $"{ex.SqlState} {ex.MessageText}" + (ex.Detail is null ? "" : $" ({ex.Detail})") +
                        (migration.RunsInTransaction ? "; nothing of it was applied." : "; statements before it stay applied."),
                        ex);
                }
            }
        }
    }

    private static async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Migration migration,
        long executionMs, CancellationToken cancellationToken)
    {
        var insert = new NpgsqlCommand(
            "INSERT INTO schema_migration (version, name, checksum, execution_ms) VALUES ($1, $2, $3, $4)", connection, transaction)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = migration.Version },
                new NpgsqlParameter { Value = migration.Name },
                new NpgsqlParameter { Value = migration.Checksum },
                new NpgsqlParameter { Value = executionMs },
            },
        };
        await using (insert.ConfigureAwait(false))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
