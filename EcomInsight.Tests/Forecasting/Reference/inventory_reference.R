# Reference values for the inventory maths (EcomInsight.Forecasting/Inventory), computed with base R only.
# Run from this folder: Rscript inventory_reference.R  ->  inventory_reference.csv (case,key,value)
# The C# tests (Forecasting/Inventory/InventoryReferenceTests) recompute every value and compare.
out <- data.frame(case = character(), key = character(), value = character(), stringsAsFactors = FALSE)
put <- function(case, key, value) {
  out[nrow(out) + 1, ] <<- list(case, key, if (is.numeric(value)) paste(sprintf("%.17g", value), collapse = ";") else value)
}

# 1. Safety factors k = qnorm(P1).
for (p in c(0.5, 0.8, 0.9, 0.95, 0.975, 0.98, 0.99, 0.999)) put("z", sprintf("%.3f", p), qnorm(p))

# 2. Normal policy on a 28-day daily forecast (a smooth SKU): p50 and an asymmetric p10/p90 band (p10 clipped at 0).
mu  <- c(rep(c(12, 14, 13, 15, 18, 0, 6), 4)) * seq(1, 1.27, length.out = 28)
p90 <- mu * 1.6 + 2
p10 <- pmax(mu * 0.5 - 3, 0)
sigma <- pmax(p90 - mu, mu - p10) / qnorm(0.9)
L <- 10; R <- 7; P1 <- 0.95; onhand <- 95; onorder <- 40; v <- 2.5; moq <- 24; K <- 20; r <- 0.25
k <- qnorm(P1)
muL <- sum(mu[1:L]); sL <- sqrt(sum(sigma[1:L]^2))
muLR <- sum(mu[1:(L + R)]); sLR <- sqrt(sum(sigma[1:(L + R)]^2))
ss <- k * sL; rop <- muL + ss; S <- max(muLR + k * sLR, rop)
ip <- onhand + onorder
D <- 365 * muL / L; eoq <- sqrt(2 * D * K / (r * v))
q <- if (ip <= rop) moq * ceiling(max(S - ip, eoq) / moq) else 0
kk <- (ip - muL) / sL
put("normal", "mean", mu); put("normal", "p10", p10); put("normal", "p90", p90)
put("normal", "lead", L); put("normal", "review", R); put("normal", "service", P1)
put("normal", "onhand", onhand); put("normal", "onorder", onorder); put("normal", "unitcost", v); put("normal", "moq", moq)
put("normal", "orderingcost", K); put("normal", "holdingrate", r)
put("normal", "muL", muL); put("normal", "sigmaL", sL); put("normal", "ss", ss); put("normal", "rop", rop); put("normal", "S", S)
put("normal", "eoq", eoq); put("normal", "order", q)
put("normal", "risk", 1 - pnorm(ip, muL, sL)); put("normal", "shortage", sL * (dnorm(kk) - kk * (1 - pnorm(kk))))

# 3. EOQ alone (Silver, Pyke & Thomas style numbers): D = 1200/yr, K = 50, r = 0.24, v = 10.
put("eoq", "value", sqrt(2 * 1200 * 50 / (0.24 * 10)))

# 4. Empirical lead-time demand of an intermittent daily history (fixed seed), window 7 days.
set.seed(20111209)
h <- ifelse(runif(120) < 0.18, rpois(120, 4) + 1, 0) * ifelse(runif(120) < 0.1, 6, 1)
w <- 7
sums <- sapply(1:(length(h) - w + 1), function(i) sum(h[i:(i + w - 1)]))
put("empirical", "history", h); put("empirical", "window", w)
put("empirical", "count", length(sums)); put("empirical", "mean", mean(sums)); put("empirical", "sd", sd(sums))
for (p in c(0.5, 0.9, 0.95, 0.98)) put("empirical", sprintf("q%.2f", p), unname(quantile(sums, p, type = 1)))
for (x in c(5, 12, 20)) put("empirical", sprintf("exceed%d", x), mean(sums > x))
put("empirical", "shortage12", mean(pmax(sums - 12, 0)))

write.csv(out, "inventory_reference.csv", row.names = FALSE, quote = TRUE)
