#!/usr/bin/env Rscript
# Reference values for EcomInsight's ETS, SES, Holt and Theta models from R's forecast package.
#
# Run from the repository root (needs R >= 4.2 and r-cran-forecast, tested with forecast 8.20):
#   Rscript EcomInsight.Tests/Forecasting/Reference/ets_reference.R
# Writes, next to this script:
#   ets_classic_series.csv  the public-domain R data sets used (AirPassengers, ...), so tests need no R
#   ets_fits.csv            one row per (case, spec): chosen class (e.g. MAdM), parameters, initial states, logLik, AIC(c), BIC, sigma2
#   ets_forecasts.csv       one row per (case, spec, h): mean and upper 95% bound (intervals are symmetric)
#   theta_forecasts.csv     the same for thetaf (spec = "theta"), plus alpha and drift in theta_fits.csv
# The real SKU series are NOT written: tests re-read them from ../shared/eval/retail-{weekly,daily}/train.csv.gz
# (the series ids picked here are in the fixtures).

suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = FALSE)
script <- sub("--file=", "", args[grep("--file=", args)])
outdir <- if (length(script) == 1) dirname(normalizePath(script)) else "."
shared <- file.path(outdir, "..", "..", "..", "..", "shared", "eval")

classic <- list(
  AirPassengers = AirPassengers,
  USAccDeaths = USAccDeaths,
  UKgas = UKgas,
  nottem = nottem,
  WWWusage = WWWusage,
  lynx = ts(as.numeric(lynx), frequency = 1),
  Nile = ts(as.numeric(Nile), frequency = 1),
  LakeHuron = ts(as.numeric(LakeHuron), frequency = 1)
)

cases <- list()
for (nm in names(classic)) cases[[nm]] <- list(y = classic[[nm]], source = "classic", id = nm)

# 15 weekly SKUs evenly spaced in series_id order, plus the last 26 weeks of 5 SKUs evenly spaced among those whose
# last 26 weeks are all > 0 (no full series is strictly positive; this exercises the multiplicative classes),
# plus 4 daily SKUs (m = 7) evenly spaced.
read_long <- function(path) {
  d <- read.csv(gzfile(path), colClasses = c("character", "character", "numeric"))
  split(d$y, d$series_id)
}
weekly <- read_long(file.path(shared, "retail-weekly", "train.csv.gz"))
ids <- sort(names(weekly))
pick <- ids[1 + floor((0:14) * length(ids) / 15)]
for (i in pick) cases[[paste0("weekly:", i)]] <- list(y = ts(weekly[[i]], frequency = 1), source = "retail-weekly", id = i)
pos <- ids[sapply(ids, function(i) all(tail(weekly[[i]], 26) > 0))]
for (i in pos[1 + floor((0:4) * length(pos) / 5)]) {
  cases[[paste0("weekly26:", i)]] <- list(y = ts(tail(weekly[[i]], 26), frequency = 1), source = "retail-weekly", id = i)
}
daily <- read_long(file.path(shared, "retail-daily", "train.csv.gz"))
dids <- sort(names(daily))
for (i in dids[1 + floor((0:3) * length(dids) / 4)]) {
  cases[[paste0("daily:", i)]] <- list(y = ts(daily[[i]], frequency = 7), source = "retail-daily", id = i)
}

specs_for <- function(y) {
  s <- c("ZZZ", "ANN", "AAN", "AAdN", "ses", "holt", "holt-damped")
  if (frequency(y) > 1) s <- c(s, "AAA", "AAdA", "ANA")
  if (min(y) > 0) {
    s <- c(s, "MNN", "MAN", "MAdN")
    if (frequency(y) > 1) s <- c(s, "MAM", "MNM", "MAdM", "MAA")
  }
  s
}

fit_spec <- function(y, spec) {
  if (spec == "ses") return(ses(y, h = 1)$model)
  if (spec == "holt") return(holt(y, h = 1)$model)
  if (spec == "holt-damped") return(holt(y, h = 1, damped = TRUE)$model)
  if (spec == "ZZZ") return(ets(y))
  damped <- grepl("d", spec)
  ets(y, model = gsub("d", "", spec), damped = damped)
}

g <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) "" else sprintf("%.12g", x)
g10 <- function(x) sprintf("%.10g", x)
fits <- c()
fcs <- c()
series <- c()
for (cn in names(cases)) {
  y <- cases[[cn]]$y
  if (cases[[cn]]$source == "classic") {
    series <- c(series, sprintf("%s,%d,%d,%s", cn, frequency(y), seq_along(y), sprintf("%.12g", as.numeric(y))))
  }
  h <- if (frequency(y) > 1) 2 * frequency(y) else 12
  for (spec in specs_for(y)) {
    fit <- tryCatch(fit_spec(y, spec), error = function(e) NULL)
    if (is.null(fit) || !inherits(fit, "ets")) next
    p <- fit$par
    seas <- if (fit$components[3] != "N") paste(sprintf("%.12g", fit$initstate[grep("^s", names(fit$initstate))]), collapse = ";") else ""
    cls <- paste0(fit$components[1], fit$components[2], ifelse(fit$components[4] == "TRUE", "d", ""), fit$components[3])
    fits <- c(fits, paste(cn, spec, cls, frequency(y), length(y), g(p["alpha"]), g(p["beta"]), g(p["gamma"]), g(p["phi"]),
      g(p["l"]), g(p["b"]), seas, g(fit$loglik), g(fit$aic), g(fit$aicc), g(fit$bic), g(fit$sigma2), sep = ","))
    f <- forecast(fit, h = h, level = c(80, 95))
    for (k in 1:h) {
      fcs <- c(fcs, paste(cn, spec, k, g10(f$mean[k]), g10(f$upper[k, 2]), sep = ","))
    }
  }
}
writeLines(c("case,m,t,y", series), file.path(outdir, "ets_classic_series.csv"))
writeLines(c("case,spec,class,m,n,alpha,beta,gamma,phi,l,b,s,loglik,aic,aicc,bic,sigma2", fits), file.path(outdir, "ets_fits.csv"))
writeLines(c("case,spec,h,mean,hi95", fcs), file.path(outdir, "ets_forecasts.csv"))

tfits <- c()
tfcs <- c()
for (cn in names(cases)) {
  y <- cases[[cn]]$y
  h <- if (frequency(y) > 1) 2 * frequency(y) else 12
  f <- thetaf(y, h = h, level = c(80, 95))
  tfits <- c(tfits, paste(cn, frequency(y), length(y), g(f$model$alpha), g(f$model$drift), g(f$model$sigma), sep = ","))
  for (k in 1:h) {
    tfcs <- c(tfcs, paste(cn, "theta", k, g(f$mean[k]), g(f$lower[k, 1]), g(f$upper[k, 1]), g(f$lower[k, 2]), g(f$upper[k, 2]), sep = ","))
  }
}
writeLines(c("case,m,n,alpha,drift,sigma2", tfits), file.path(outdir, "theta_fits.csv"))
writeLines(c("case,spec,h,mean,lo80,hi80,lo95,hi95", tfcs), file.path(outdir, "theta_forecasts.csv"))
cat("wrote", length(fits), "ETS fits and", length(tfits), "theta fits to", outdir, "\n")
