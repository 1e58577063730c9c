-- 0006: what the scheduled pipeline writes and the planners work on: model runs and forecasts, job runs,
-- product classes, warnings, inventory positions and recommendations, replenishment plans, digest deliveries
-- and near-real-time ingest. Series are addressed by (level, series_key):
--   level 'sku'      series_key = the SKU (product.sku)
--   level 'category' series_key = category_id as text (top-level or leaf category)
--   level 'platform' series_key = 'all'
-- Frequencies: 'daily' (UTC day buckets) and 'weekly' (ISO weeks starting Monday), as in the rollups (0002).

-- One row per training or scoring run. A scoring run names the training run whose models it used.
CREATE TABLE model_run (
    run_id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('train', 'score')),
    frequency      text        NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    status         text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz NULL,
    train_run_id   bigint      NULL REFERENCES model_run (run_id),  -- score runs: the training run used
    data_from      date        NULL,          -- first period of the history used (bucket start)
    data_to        date        NULL,          -- last period of the history used (bucket start) = the origin
    horizon        integer     NULL,          -- periods ahead
    models         text[]      NULL,          -- candidate model names
    series_count   integer     NULL,
    rows_written   bigint      NULL,
    -- Accuracy: training runs, from the selection backtest (pooled over series, SKU level);
    -- score runs, filled in once actuals arrive (forecast vs actual over the periods elapsed).
    wape           double precision NULL,
    mase           double precision NULL,
    bias           double precision NULL,     -- (sum forecast - sum actual) / sum actual
    coverage80     double precision NULL,     -- share of actuals inside p10..p90
    reconciliation text        NULL,          -- hierarchy method of score runs, e.g. 'bottom-up', 'mint-shrink'
    instance       text        NULL,          -- host/instance that ran it
    error          text        NULL
);
CREATE INDEX model_run_kind_started_idx ON model_run (kind, frequency, started_at DESC);

-- Per series and candidate model, the training run's backtest metrics; chosen = the model scoring uses.
-- params: the chosen model's description/parameters as JSON text (e.g. {"alpha":0.1,"class":"ETS(A,N,N)"}).
CREATE TABLE model_selection (
    run_id      bigint  NOT NULL REFERENCES model_run (run_id) ON DELETE CASCADE,
    level       text    NOT NULL CHECK (level IN ('sku', 'category', 'platform')),
    series_key  text    NOT NULL,
    model       text    NOT NULL,
    rank        integer NOT NULL,               -- 1 = best by the selection score
    chosen      boolean NOT NULL,
    wape        double precision NULL,
    mae         double precision NULL,
    rmse        double precision NULL,
    mape        double precision NULL,
    mase        double precision NULL,
    bias        double precision NULL,
    params      text    NULL,
    demand_class text   NULL,                   -- smooth / erratic / intermittent / lumpy (Syntetos-Boylan)
    PRIMARY KEY (run_id, level, series_key, model)
);

-- Forecasts of a scoring run: one row per series and period ahead, units (net demand).
CREATE TABLE forecast (
    run_id        bigint NOT NULL REFERENCES model_run (run_id) ON DELETE CASCADE,
    level         text   NOT NULL CHECK (level IN ('sku', 'category', 'platform')),
    series_key    text   NOT NULL,
    period_start  date   NOT NULL,              -- bucket start (day, or Monday of the week)
    step          smallint NOT NULL,            -- 1..horizon
    p10           double precision NOT NULL,
    p50           double precision NOT NULL,    -- point forecast (mean) after reconciliation
    p90           double precision NOT NULL,
    model         text   NOT NULL,
    PRIMARY KEY (run_id, level, series_key, period_start)
);
CREATE INDEX forecast_series_idx ON forecast (level, series_key, run_id);

-- Series whose retraining was requested before the next nightly run (bias trigger or an operator).
CREATE TABLE retrain_request (
    request_id    bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level         text        NOT NULL,
    series_key    text        NOT NULL,
    frequency     text        NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    reason        text        NOT NULL,
    handled_run_id bigint     NULL REFERENCES model_run (run_id)
);
CREATE UNIQUE INDEX retrain_request_pending_idx ON retrain_request (level, series_key, frequency) WHERE handled_run_id IS NULL;

-- Every execution of a scheduled job (or of its command-line verb): what the Runs and Admin pages show.
CREATE TABLE job_run (
    job_run_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job            text        NOT NULL,         -- train, score, warnings, monitor, inventory, plans, digest-daily, digest-weekly
    trigger        text        NOT NULL,         -- 'schedule', 'cli', 'manual', 'recovery'
    fire_instance_id text      NULL,             -- Quartz fire instance id (NULL from the CLI)
    instance       text        NOT NULL,         -- scheduler instance / host
    started_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz NULL,
    status         text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
    rows_written   bigint      NULL,
    detail         text        NULL,             -- one-line summary, e.g. "3,812 SKUs, 2 frequencies"
    error          text        NULL
);
CREATE INDEX job_run_job_started_idx ON job_run (job, started_at DESC);

-- Product classes from the latest inventory run: ABC by revenue share, XYZ by demand variability, and the
-- Syntetos-Boylan demand class.
CREATE TABLE product_class (
    sku            text        PRIMARY KEY REFERENCES product (sku) ON DELETE CASCADE,
    abc            char(1)     NOT NULL CHECK (abc IN ('A', 'B', 'C')),
    xyz            char(1)     NOT NULL CHECK (xyz IN ('X', 'Y', 'Z')),
    revenue_share  double precision NOT NULL,   -- share of total revenue over the classification window
    cv             double precision NULL,       -- coefficient of variation of weekly demand
    adi            double precision NULL,       -- average inter-demand interval (weeks)
    cv2            double precision NULL,       -- squared CV of non-zero demand sizes
    demand_class   text        NOT NULL,        -- smooth / erratic / intermittent / lumpy
    computed_at    timestamptz NOT NULL
);

-- Warnings raised by the pipeline. condition_key identifies the condition (type + series + warehouse + period)
-- so the same condition never has two open warnings.
CREATE TABLE warning (
    warning_id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type             text        NOT NULL CHECK (type IN ('demand_above_ucl', 'demand_below_lcl', 'anomaly',
                                 'stockout_risk', 'overstock', 'forecast_degradation', 'retrain_triggered')),
    severity         text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    status           text        NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'auto_resolved')),
    level            text        NOT NULL CHECK (level IN ('sku', 'category', 'platform')),
    series_key       text        NOT NULL,
    sku              text        NULL,           -- set when level = 'sku'
    category_id      integer     NULL REFERENCES category (category_id),  -- the SKU's or the series' category (scoping)
    warehouse_id     smallint    NULL REFERENCES warehouse (warehouse_id),
    condition_key    text        NOT NULL,
    title            text        NOT NULL,       -- one line, e.g. "Demand 212 above UCL 150 in week 2011-11-28"
    evidence         text        NOT NULL,       -- JSON object: values, limits, dates, run ids
    suggested_action text        NOT NULL,
    raised_at        timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz NULL,
    run_id           bigint      NULL REFERENCES model_run (run_id) ON DELETE SET NULL,
    version          integer     NOT NULL DEFAULT 1   -- optimistic concurrency for acknowledge/resolve
);
CREATE UNIQUE INDEX warning_open_condition_idx ON warning (condition_key) WHERE status IN ('open', 'acknowledged');
CREATE INDEX warning_status_severity_idx ON warning (status, severity, raised_at DESC);
CREATE INDEX warning_sku_idx ON warning (sku) WHERE sku IS NOT NULL;
CREATE INDEX warning_category_idx ON warning (category_id);

-- Lifecycle history of each warning (raise, acknowledge, resolve, auto-resolve, re-grade).
CREATE TABLE warning_event (
    event_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    warning_id   bigint      NOT NULL REFERENCES warning (warning_id) ON DELETE CASCADE,
    at           timestamptz NOT NULL DEFAULT now(),
    user_id      text        NULL REFERENCES app_user (id) ON DELETE SET NULL,   -- NULL: the pipeline
    from_status  text        NULL,
    to_status    text        NOT NULL,
    comment      text        NULL
);
CREATE INDEX warning_event_warning_idx ON warning_event (warning_id, at);

-- Inventory position per SKU and warehouse (imported CSV or the demo's simulation).
CREATE TABLE inventory_position (
    sku             text          NOT NULL REFERENCES product (sku) ON DELETE CASCADE,
    warehouse_id    smallint      NOT NULL REFERENCES warehouse (warehouse_id),
    as_of           date          NOT NULL,
    on_hand         integer       NOT NULL,
    on_order        integer       NOT NULL DEFAULT 0,
    lead_time_days  integer       NOT NULL CHECK (lead_time_days > 0),
    unit_cost       numeric(12,4) NOT NULL CHECK (unit_cost >= 0),
    moq             integer       NOT NULL DEFAULT 1 CHECK (moq >= 1),
    source          text          NOT NULL CHECK (source IN ('imported', 'simulated')),
    PRIMARY KEY (sku, warehouse_id)
);

-- The latest inventory policy and recommendation per SKU and warehouse (replaced by each inventory run).
-- Units are units of the SKU; days are calendar days.
CREATE TABLE inventory_recommendation (
    sku                 text        NOT NULL REFERENCES product (sku) ON DELETE CASCADE,
    warehouse_id        smallint    NOT NULL REFERENCES warehouse (warehouse_id),
    computed_at         timestamptz NOT NULL,
    run_id              bigint      NULL REFERENCES model_run (run_id) ON DELETE SET NULL,  -- forecasts used
    abc                 char(1)     NOT NULL,
    xyz                 char(1)     NOT NULL,
    service_level       double precision NOT NULL,    -- target cycle service level, e.g. 0.95
    lead_time_days      integer     NOT NULL,
    demand_per_day      double precision NOT NULL,    -- forecast mean over the lead time / lead time
    sigma_lead_time     double precision NOT NULL,    -- forecast error std dev over the lead time (units)
    method              text        NOT NULL,         -- 'normal' or 'empirical' (intermittent SKUs)
    safety_stock        double precision NOT NULL,
    reorder_point       double precision NOT NULL,
    order_up_to         double precision NOT NULL,
    eoq                 double precision NULL,
    on_hand             integer     NOT NULL,
    on_order            integer     NOT NULL,
    inventory_position  integer     NOT NULL,         -- on hand + on order
    suggested_order     integer     NOT NULL,         -- 0 when no order is due; rounded up to MOQ
    days_of_cover       double precision NULL,
    stockout_risk       double precision NOT NULL,    -- P(demand over lead time > position), 0..1
    overstock_units     double precision NOT NULL,    -- position beyond order-up-to + cover threshold
    risk_score          double precision NOT NULL,    -- sort key for the page: higher = more urgent
    simulated           boolean     NOT NULL,         -- position comes from the demo's simulation
    PRIMARY KEY (sku, warehouse_id)
);
CREATE INDEX inventory_recommendation_risk_idx ON inventory_recommendation (risk_score DESC);

-- Replenishment plans: draft -> submitted -> approved | rejected -> released (approved only).
-- version: optimistic concurrency (every change increments it; a stale version fails the update).
CREATE TABLE replenishment_plan (
    plan_id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id      integer     NOT NULL REFERENCES category (category_id),
    title            text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'released')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    created_by       text        NULL REFERENCES app_user (id) ON DELETE SET NULL,   -- NULL: generated by the pipeline
    submitted_by     text        NULL REFERENCES app_user (id) ON DELETE SET NULL,
    submitted_at     timestamptz NULL,
    decided_by       text        NULL REFERENCES app_user (id) ON DELETE SET NULL,
    decided_at       timestamptz NULL,
    decision_reason  text        NULL,
    released_at      timestamptz NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer     NOT NULL DEFAULT 1,
    CONSTRAINT plan_approver_is_not_submitter CHECK (decided_by IS NULL OR submitted_by IS NULL OR decided_by <> submitted_by)
);
CREATE INDEX replenishment_plan_status_idx ON replenishment_plan (status, category_id);
-- At most one pipeline-generated draft per category at a time.
CREATE UNIQUE INDEX replenishment_plan_generated_draft_idx ON replenishment_plan (category_id) WHERE status = 'draft' AND created_by IS NULL;

CREATE TABLE replenishment_plan_line (
    plan_id          bigint        NOT NULL REFERENCES replenishment_plan (plan_id) ON DELETE CASCADE,
    line_no          integer       NOT NULL,
    sku              text          NOT NULL REFERENCES product (sku),
    warehouse_id     smallint      NOT NULL REFERENCES warehouse (warehouse_id),
    recommended_qty  integer       NOT NULL,        -- what the recommendation suggested
    quantity         integer       NOT NULL CHECK (quantity >= 0),   -- what the planner orders
    unit_cost        numeric(12,4) NOT NULL,
    note             text          NULL,
    PRIMARY KEY (plan_id, line_no)
);

-- Audit trail of every plan transition and edit.
CREATE TABLE plan_event (
    event_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_id      bigint      NOT NULL REFERENCES replenishment_plan (plan_id) ON DELETE CASCADE,
    at           timestamptz NOT NULL DEFAULT now(),
    user_id      text        NULL REFERENCES app_user (id) ON DELETE SET NULL,
    action       text        NOT NULL,          -- create, edit, submit, approve, reject, release
    from_status  text        NULL,
    to_status    text        NOT NULL,
    comment      text        NULL
);
CREATE INDEX plan_event_plan_idx ON plan_event (plan_id, at);

-- Email digests: one row per user and digest period; the unique key makes a digest send at most once.
CREATE TABLE digest_delivery (
    delivery_id   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       text        NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    frequency     text        NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    period_key    text        NOT NULL,          -- '2026-11-21' (daily) or '2026-W47' (weekly)
    status        text        NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts      integer     NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz NULL,
    next_attempt_at timestamptz NULL,
    recipient     text        NOT NULL,
    subject       text        NULL,
    last_error    text        NULL,
    eml_path      text        NULL,              -- pickup-folder file when delivered that way
    CONSTRAINT digest_delivery_once UNIQUE (user_id, frequency, period_key)
);

-- Near-real-time sales lines received through the ingest API: the line id makes ingest idempotent.
CREATE TABLE ingest_line (
    source      text        NOT NULL,            -- the API key's integration name
    line_id     text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    batch_id    bigint      NOT NULL REFERENCES import_batch (batch_id),
    PRIMARY KEY (source, line_id)
);
