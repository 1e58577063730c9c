-- 0001: dimensions, lineage and the sales fact table (plain PostgreSQL part).
-- TimescaleDB-specific objects (hypertable, compression, continuous aggregates) and the
-- plain-PostgreSQL rollup tables live in 0002 so that both variants expose the same names.

CREATE TABLE category (
    category_id  integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text    NOT NULL,
    parent_id    integer NULL REFERENCES category (category_id),
    path         text    NOT NULL,                -- "Home/Candles and lights"; unique, slash-separated
    CONSTRAINT category_path_unique UNIQUE (path)
);

CREATE TABLE market (
    market_id    smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text     NOT NULL,               -- as given by the source, e.g. "United Kingdom"
    CONSTRAINT market_name_unique UNIQUE (name)
);

CREATE TABLE warehouse (
    warehouse_id smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code         text     NOT NULL,
    name         text     NOT NULL,
    market_id    smallint NULL REFERENCES market (market_id),
    CONSTRAINT warehouse_code_unique UNIQUE (code)
);

CREATE TABLE customer (
    customer_id  bigint PRIMARY KEY                -- the source's id only; no personal data
);

CREATE TABLE product (
    sku            text        PRIMARY KEY,        -- case-sensitive stock code ("M" and "m" differ)
    description    text        NULL,               -- canonical description (most frequent non-empty)
    category_id    integer     NULL REFERENCES category (category_id),
    first_sale_at  timestamptz NULL,
    last_sale_at   timestamptz NULL,
    is_active      boolean     NOT NULL DEFAULT true
);
CREATE INDEX product_category_idx ON product (category_id);

CREATE TABLE import_batch (
    batch_id        bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source          text        NOT NULL,          -- "online-retail" or "mapped"
    file_name       text        NOT NULL,
    sha256          text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NULL,
    lines_read      bigint      NOT NULL DEFAULT 0,
    lines_accepted  bigint      NOT NULL DEFAULT 0,
    lines_rejected  bigint      NOT NULL DEFAULT 0,
    lines_duplicate bigint      NOT NULL DEFAULT 0,
    status          text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    error           text        NULL
);
-- A file (by content) is imported successfully at most once.
CREATE UNIQUE INDEX import_batch_sha256_succeeded ON import_batch (sha256) WHERE status = 'succeeded';

CREATE TABLE import_reject (
    batch_id  bigint NOT NULL REFERENCES import_batch (batch_id) ON DELETE CASCADE,
    line_no   bigint NOT NULL,                     -- 1-based physical line in the file (header = 1)
    field     text   NULL,                         -- column that caused the rejection, when one did
    reason    text   NOT NULL,
    raw       text   NOT NULL,
    PRIMARY KEY (batch_id, line_no)
);

-- One row per accepted product sales line (sales and returns). Hypertable on TimescaleDB (0002).
-- No foreign keys: bulk COPY speed and TimescaleDB compression; the importer upserts the
-- dimensions (product, market, customer) in the same transaction before it copies facts.
CREATE TABLE sales_fact (
    sold_at       timestamptz   NOT NULL,          -- UTC
    sku           text          NOT NULL,
    invoice       text          NOT NULL,
    line_no       bigint        NOT NULL,          -- physical line in the source file
    quantity      integer       NOT NULL,          -- negative for returns
    unit_price    numeric(12,4) NOT NULL,          -- currency units per unit (GBP for Online Retail)
    revenue       numeric(14,4) NOT NULL,          -- quantity * unit_price; negative for returns
    customer_id   bigint        NULL,
    market_id     smallint      NOT NULL,
    warehouse_id  smallint      NULL,
    is_return     boolean       NOT NULL,
    batch_id      bigint        NOT NULL
);
CREATE INDEX sales_fact_sku_time_idx ON sales_fact (sku, sold_at DESC);
CREATE INDEX sales_fact_batch_idx ON sales_fact (batch_id);

-- Non-product lines (postage, fees, discounts, bank charges, vouchers...): kept for finance,
-- out of product demand.
CREATE TABLE fee_line (
    occurred_at  timestamptz   NOT NULL,
    code         text          NOT NULL,
    kind         text          NOT NULL,           -- postage, carriage, discount, manual, fee, commission, sample, bad-debt, voucher
    invoice      text          NOT NULL,
    description  text          NULL,
    quantity     integer       NOT NULL,
    amount       numeric(14,4) NOT NULL,
    customer_id  bigint        NULL,
    market_id    smallint      NOT NULL,
    batch_id     bigint        NOT NULL REFERENCES import_batch (batch_id) ON DELETE CASCADE,
    line_no      bigint        NOT NULL,
    PRIMARY KEY (batch_id, line_no)
);

-- Stock adjustments: negative quantities with zero price that are not cancellations.
CREATE TABLE stock_adjustment (
    occurred_at  timestamptz NOT NULL,
    sku          text        NOT NULL,
    quantity     integer     NOT NULL,
    note         text        NULL,
    batch_id     bigint      NOT NULL REFERENCES import_batch (batch_id) ON DELETE CASCADE,
    line_no      bigint      NOT NULL,
    PRIMARY KEY (batch_id, line_no)
);
