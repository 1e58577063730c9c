#!/usr/bin/env Rscript
# R's thetaf on every retail-weekly (m = 1, h = 8) and retail-daily (m = 7, h = 28) training series.
# Run from the repository root:  Rscript EcomInsight.Tests/Forecasting/Reference/theta_all.R
# Writes theta_all.csv next to this script: protocol, series id, alpha, drift and the first and last forecast means
# (R output only; tests re-read the series from ../shared at test time).
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
outdir <- if (length(script) == 1) dirname(normalizePath(script)) else "."
rows <- c()
for (p in list(c("retail-weekly", 1, 8), c("retail-daily", 7, 28))) {
  path <- file.path(outdir, "..", "..", "..", "..", "shared", "eval", p[1], "train.csv.gz")
  d <- read.csv(gzfile(path), colClasses = c("character", "character", "numeric"))
  series <- split(d$y, d$series_id)
  m <- as.integer(p[2]); h <- as.integer(p[3])
  for (id in sort(names(series))) {
    f <- suppressWarnings(thetaf(ts(series[[id]], frequency = m), h = h))
    rows <- c(rows, sprintf("%s,%s,%.10g,%.10g,%.10g,%.10g", p[1], id, f$model$alpha, f$model$drift, f$mean[1], f$mean[h]))
  }
}
writeLines(c("protocol,series_id,alpha,drift,mean1,meanh", rows), file.path(outdir, "theta_all.csv"))
