-- 0002: sales_fact storage and the daily/weekly rollups per SKU, per category and for the platform.
--
-- Two variants behind the same names, so no query ever branches:
--   * TimescaleDB (when the server offers the extension in pg_available_extensions, as production does):
--     sales_fact becomes a hypertable with columnstore compression, and the SKU and platform rollups are
--     continuous aggregates with real-time aggregation and refresh policies.
--   * Plain PostgreSQL (the local cluster, CI): sales_fact stays an ordinary table with a BRIN index, and the
--     same rollups are ordinary tables that refresh_rollups() recomputes for the periods an import touched.
--
-- Rollup columns (all rollups): bucket (timestamptz, UTC midnight of the day / of the Monday that starts the
-- ISO week), the group key, then
--   units_sold     sum of quantity over sales lines (not returns) with quantity > 0
--   units_returned sum of -quantity over return lines (a positive number)
--   net_units      sum of quantity over all lines (sold - returned)
--   revenue        sum of revenue over all lines (net of returns), currency units
--   order_lines    number of sales lines (returns excluded)
--   orders         number of distinct sales invoices (SKU and platform rollups only; see the category views)
-- Buckets are UTC days: for a UK retailer they differ from London days by at most one hour of a summer night.
-- time_bucket('1 week', ...) is aligned to 2000-01-03, a Monday, which equals date_trunc('week', ...) in UTC.
--
-- Category rollups are plain views over the SKU rollups joined to product, in both variants, so that
-- re-running the categorisation rules re-categorises history at once (a continuous aggregate joined to
-- product would keep each bucket's category as of its last refresh). The price is an aggregation over the
-- SKU rollup at query time (about 300k rows a year for Online Retail), and no "orders" column: distinct
-- invoices cannot be summed from SKU rows.

DO $variant$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN
        -- Needs shared_preload_libraries = 'timescaledb' (set in TimescaleDB's images); without it this fails
        -- loudly rather than silently building the plain variant on a server meant to run TimescaleDB.
        CREATE EXTENSION IF NOT EXISTS timescaledb;

        -- Chunk interval: 7 days. A chunk (with its two B-tree indexes) should fit comfortably in memory
        -- while it is being written. Online Retail has ~540k lines a year (~10k a week, ~2 MB per chunk), so
        -- for it any interval works; the setting is sized for the retailers this product targets: at 50M
        -- lines a year (~1M a week) a weekly chunk is ~150-200 MB including indexes, and even at 500M lines a
        -- year (~1.5-2 GB a chunk) it stays under the usual "25% of RAM" guideline on a 16 GB server, where a
        -- monthly chunk would not. Weekly chunks also make the 90-day compression horizon granular (about 13
        -- uncompressed weeks, where late corrections and returns land) and let time filters prune precisely.
        -- Very small tenants could use 30 days (better compression per SKU segment); change it for new
        -- chunks with set_chunk_time_interval('sales_fact', interval '30 days').
        PERFORM create_hypertable('sales_fact', 'sold_at', chunk_time_interval => interval '7 days', migrate_data => true);

        -- Columnstore: one segment per SKU, rows ordered by time, so a SKU's history (what forecasting
        -- reads) decompresses as a few contiguous column batches. Chunks older than 90 days are compressed.
        ALTER TABLE sales_fact SET (
            timescaledb.compress,
            timescaledb.compress_segmentby = 'sku',
            timescaledb.compress_orderby = 'sold_at'
        );
        PERFORM add_compression_policy('sales_fact', compress_after => interval '90 days');

        -- Continuous aggregates, created empty (WITH NO DATA is what allows creating them inside this
        -- migration's transaction); real-time aggregation (materialized_only = false) answers for buckets not
        -- yet materialised straight from sales_fact, so results are complete right after an import.
        EXECUTE $sql$
            CREATE MATERIALIZED VIEW sales_daily_sku
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT time_bucket(interval '1 day', sold_at) AS bucket,
                   sku,
                   sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END)::bigint AS units_sold,
                   sum(CASE WHEN is_return THEN -quantity ELSE 0 END)::bigint AS units_returned,
                   sum(quantity)::bigint AS net_units,
                   sum(revenue) AS revenue,
                   sum(CASE WHEN is_return THEN 0 ELSE 1 END)::bigint AS order_lines,
                   count(DISTINCT CASE WHEN NOT is_return THEN invoice END) AS orders
            FROM sales_fact
            GROUP BY 1, 2
            WITH NO DATA
        $sql$;
        EXECUTE $sql$
            CREATE MATERIALIZED VIEW sales_weekly_sku
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT time_bucket(interval '1 week', sold_at) AS bucket,
                   sku,
                   sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END)::bigint AS units_sold,
                   sum(CASE WHEN is_return THEN -quantity ELSE 0 END)::bigint AS units_returned,
                   sum(quantity)::bigint AS net_units,
                   sum(revenue) AS revenue,
                   sum(CASE WHEN is_return THEN 0 ELSE 1 END)::bigint AS order_lines,
                   count(DISTINCT CASE WHEN NOT is_return THEN invoice END) AS orders
            FROM sales_fact
            GROUP BY 1, 2
            WITH NO DATA
        $sql$;
        EXECUTE $sql$
            CREATE MATERIALIZED VIEW sales_daily_platform
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT time_bucket(interval '1 day', sold_at) AS bucket,
                   sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END)::bigint AS units_sold,
                   sum(CASE WHEN is_return THEN -quantity ELSE 0 END)::bigint AS units_returned,
                   sum(quantity)::bigint AS net_units,
                   sum(revenue) AS revenue,
                   sum(CASE WHEN is_return THEN 0 ELSE 1 END)::bigint AS order_lines,
                   count(DISTINCT CASE WHEN NOT is_return THEN invoice END) AS orders
            FROM sales_fact
            GROUP BY 1
            WITH NO DATA
        $sql$;
        EXECUTE $sql$
            CREATE MATERIALIZED VIEW sales_weekly_platform
            WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
            SELECT time_bucket(interval '1 week', sold_at) AS bucket,
                   sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END)::bigint AS units_sold,
                   sum(CASE WHEN is_return THEN -quantity ELSE 0 END)::bigint AS units_returned,
                   sum(quantity)::bigint AS net_units,
                   sum(revenue) AS revenue,
                   sum(CASE WHEN is_return THEN 0 ELSE 1 END)::bigint AS order_lines,
                   count(DISTINCT CASE WHEN NOT is_return THEN invoice END) AS orders
            FROM sales_fact
            GROUP BY 1
            WITH NO DATA
        $sql$;

        -- Refresh policies. start_offset NULL: the whole history is in the window, but a refresh only
        -- recomputes buckets the invalidation log marks as changed, so back-filled history (Online Retail is
        -- all "old") is materialised too without rescanning untouched years. end_offset keeps the still-open
        -- current bucket to real-time aggregation.
        PERFORM add_continuous_aggregate_policy('sales_daily_sku',
            start_offset => NULL, end_offset => interval '1 hour', schedule_interval => interval '30 minutes');
        PERFORM add_continuous_aggregate_policy('sales_weekly_sku',
            start_offset => NULL, end_offset => interval '1 hour', schedule_interval => interval '1 hour');
        PERFORM add_continuous_aggregate_policy('sales_daily_platform',
            start_offset => NULL, end_offset => interval '1 hour', schedule_interval => interval '30 minutes');
        PERFORM add_continuous_aggregate_policy('sales_weekly_platform',
            start_offset => NULL, end_offset => interval '1 hour', schedule_interval => interval '1 hour');
    ELSE
        -- Facts arrive in time order per import, so a BRIN index on sold_at is tiny and prunes time ranges;
        -- SKU-by-time reads use the B-tree (sku, sold_at) from 0001.
        CREATE INDEX sales_fact_sold_at_brin ON sales_fact USING brin (sold_at);

        CREATE TABLE sales_daily_sku (
            bucket          timestamptz NOT NULL,
            sku             text        NOT NULL,
            units_sold      bigint      NOT NULL,
            units_returned  bigint      NOT NULL,
            net_units       bigint      NOT NULL,
            revenue         numeric     NOT NULL,
            order_lines     bigint      NOT NULL,
            orders          bigint      NOT NULL,
            PRIMARY KEY (sku, bucket)
        );
        CREATE INDEX sales_daily_sku_bucket_idx ON sales_daily_sku (bucket);

        CREATE TABLE sales_weekly_sku (LIKE sales_daily_sku INCLUDING ALL);

        CREATE TABLE sales_daily_platform (
            bucket          timestamptz NOT NULL PRIMARY KEY,
            units_sold      bigint      NOT NULL,
            units_returned  bigint      NOT NULL,
            net_units       bigint      NOT NULL,
            revenue         numeric     NOT NULL,
            order_lines     bigint      NOT NULL,
            orders          bigint      NOT NULL
        );
        CREATE TABLE sales_weekly_platform (LIKE sales_daily_platform INCLUDING ALL);
    END IF;
END
$variant$;

-- Category rollups: see the header for why these are views over the SKU rollups.
CREATE VIEW sales_daily_category AS
SELECT r.bucket,
       p.category_id,
       sum(r.units_sold)::bigint     AS units_sold,
       sum(r.units_returned)::bigint AS units_returned,
       sum(r.net_units)::bigint      AS net_units,
       sum(r.revenue)                AS revenue,
       sum(r.order_lines)::bigint    AS order_lines
FROM sales_daily_sku r
JOIN product p ON p.sku = r.sku
GROUP BY r.bucket, p.category_id;

CREATE VIEW sales_weekly_category AS
SELECT r.bucket,
       p.category_id,
       sum(r.units_sold)::bigint     AS units_sold,
       sum(r.units_returned)::bigint AS units_returned,
       sum(r.net_units)::bigint      AS net_units,
       sum(r.revenue)                AS revenue,
       sum(r.order_lines)::bigint    AS order_lines
FROM sales_weekly_sku r
JOIN product p ON p.sku = r.sku
GROUP BY r.bucket, p.category_id;

-- refresh_rollups(p_from, p_to): the importer calls it in its own transaction, after COPYing a batch, with the
-- earliest and latest sold_at it wrote (both inclusive). Every day and ISO week that overlaps [p_from, p_to]
-- is recomputed from sales_fact, set-based (delete + insert), in all four rollup tables, so it is idempotent
-- and rolls back with the import.
--
-- On TimescaleDB the continuous aggregates need no help to be correct: real-time aggregation covers
-- buckets not yet materialised, and the invalidation log makes the next policy run recompute back-filled
-- buckets. refresh_continuous_aggregate() cannot run inside a transaction (nor this function), so instead the
-- function asks the refresh policies to run as soon as the importing transaction commits.
CREATE FUNCTION refresh_rollups(p_from timestamptz, p_to timestamptz) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    day_from  timestamptz;
    day_to    timestamptz;
    week_from timestamptz;
    week_to   timestamptz;
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR p_to < p_from THEN
        RAISE EXCEPTION 'refresh_rollups(%, %): need p_from <= p_to', p_from, p_to;
    END IF;

    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
        PERFORM alter_job(j.job_id, next_start => now())
        FROM timescaledb_information.jobs j
        JOIN timescaledb_information.continuous_aggregates c
          ON j.hypertable_name IN (c.view_name, c.materialization_hypertable_name)  -- which one varies by version
        WHERE j.proc_name = 'policy_refresh_continuous_aggregate'
          AND c.view_name IN ('sales_daily_sku', 'sales_weekly_sku', 'sales_daily_platform', 'sales_weekly_platform');
        RETURN;
    END IF;

    day_from  := date_trunc('day',  p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    day_to    := (date_trunc('day', p_to   AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') + interval '1 day';
    week_from := date_trunc('week', p_from AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    week_to   := (date_trunc('week', p_to  AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') + interval '7 days';

    DELETE FROM sales_daily_sku WHERE bucket >= day_from AND bucket < day_to;
    INSERT INTO sales_daily_sku (bucket, sku, units_sold, units_returned, net_units, revenue, order_lines, orders)
    SELECT date_trunc('day', sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', sku,
           sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END),
           sum(CASE WHEN is_return THEN -quantity ELSE 0 END),
           sum(quantity),
           sum(revenue),
           sum(CASE WHEN is_return THEN 0 ELSE 1 END),
           count(DISTINCT CASE WHEN NOT is_return THEN invoice END)
    FROM sales_fact
    WHERE sold_at >= day_from AND sold_at < day_to
    GROUP BY 1, 2;

    DELETE FROM sales_weekly_sku WHERE bucket >= week_from AND bucket < week_to;
    INSERT INTO sales_weekly_sku (bucket, sku, units_sold, units_returned, net_units, revenue, order_lines, orders)
    SELECT date_trunc('week', sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', sku,
           sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END),
           sum(CASE WHEN is_return THEN -quantity ELSE 0 END),
           sum(quantity),
           sum(revenue),
           sum(CASE WHEN is_return THEN 0 ELSE 1 END),
           count(DISTINCT CASE WHEN NOT is_return THEN invoice END)
    FROM sales_fact
    WHERE sold_at >= week_from AND sold_at < week_to
    GROUP BY 1, 2;

    DELETE FROM sales_daily_platform WHERE bucket >= day_from AND bucket < day_to;
    INSERT INTO sales_daily_platform (bucket, units_sold, units_returned, net_units, revenue, order_lines, orders)
    SELECT date_trunc('day', sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
           sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END),
           sum(CASE WHEN is_return THEN -quantity ELSE 0 END),
           sum(quantity),
           sum(revenue),
           sum(CASE WHEN is_return THEN 0 ELSE 1 END),
           count(DISTINCT CASE WHEN NOT is_return THEN invoice END)
    FROM sales_fact
    WHERE sold_at >= day_from AND sold_at < day_to
    GROUP BY 1;

    DELETE FROM sales_weekly_platform WHERE bucket >= week_from AND bucket < week_to;
    INSERT INTO sales_weekly_platform (bucket, units_sold, units_returned, net_units, revenue, order_lines, orders)
    SELECT date_trunc('week', sold_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
           sum(CASE WHEN NOT is_return AND quantity > 0 THEN quantity ELSE 0 END),
           sum(CASE WHEN is_return THEN -quantity ELSE 0 END),
           sum(quantity),
           sum(revenue),
           sum(CASE WHEN is_return THEN 0 ELSE 1 END),
           count(DISTINCT CASE WHEN NOT is_return THEN invoice END)
    FROM sales_fact
    WHERE sold_at >= week_from AND sold_at < week_to
    GROUP BY 1;
END
$fn$;

COMMENT ON FUNCTION refresh_rollups(timestamptz, timestamptz) IS
    'Recompute every rollup for the days and ISO weeks overlapping [p_from, p_to] (plain PostgreSQL); on TimescaleDB, schedule the continuous-aggregate refresh policies to run now.';
