/**
 * Head office's KPIs: daily and monthly roll-ups kept as events are projected, and the reports read from them
 * (docs/kpis.md has every figure's formula; decisions 0060–0062, 0066).
 *
 * <h2>Reading (the console and the report API)</h2>
 * <p>{@link dev.counterpoint.office.report.Reports}, built by {@code OfficeServer} ({@code server.reports()}):
 * <ul>
 *   <li>{@code Reports.stores(LocalDate from, LocalDate to, Optional<String> onlyStore)} → {@code Report}: the stores side
 *   by side ({@code Figures} per store, in store id order, every store with a terminal) and {@code chain()}, over
 *   {@code from}..{@code to} (both included, at most {@value dev.counterpoint.office.report.Reports#MAX_DAYS} days).
 *   With {@code onlyStore} (a manager's own store) the report holds that store alone and no chain figures.</li>
 *   <li>{@code Reports.today(Optional<String> onlyStore)} → {@code Today}: the business day so far per store
 *   ({@code DayFigures}) and the chain's totals; {@code Reports.day(LocalDate, Optional<String>)} for another day.</li>
 *   <li>{@code Reports.period(String from, String to)} checks typed dates (YYYY-MM-DD, {@code to} not before
 *   {@code from}, at most 366 days) and throws {@code IllegalArgumentException} with a message to show.</li>
 *   <li>{@code Reports.businessDay()}, {@code Reports.zone()}: today's business date and the chain's zone.</li>
 *   <li>{@link dev.counterpoint.office.report.ReportJson} writes a report as {@code GET /v1/reports/stores} answers
 *   (docs/api.md).</li>
 * </ul>
 * Money is in fen, points in points; rates ({@code repurchaseRate()}, {@code redemptionRate()},
 * {@code CouponLine.redemptionRate()}) are fractions of 1. Tiers are those at the end of the period's last day
 * (decision 0066); coupons count under the reason they were issued for ({@code RollupBatch.issueReason}).
 *
 * <h2>Writing (head office's projection)</h2>
 * <p>{@link dev.counterpoint.office.report.RollupBatch} is held by the transaction's change-feed writer: the projection
 * notes facts (a purchase, a refund, an enrolment, coupons, ledger entries, tier changes, merges) and the batch writes
 * them summed per row before commit. {@link dev.counterpoint.office.report.Backfill} builds the roll-ups once from the
 * tables for events projected before they existed.
 */
package dev.counterpoint.office.report;
