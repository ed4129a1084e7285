/**
 * The result-table contract, declared once: every column of the {@code runs}, {@code steps} and
 * {@code llc_trace} tables ({@link org.phasemap.tables.RunsTable}, {@link
 * org.phasemap.tables.StepsTable}, {@link org.phasemap.tables.LlcTraceTable}) with its name, type,
 * nullability, docs/TABLES.md line and the function that reads its value from the worker's records;
 * the layout of a results root and the SQL views over it ({@link
 * org.phasemap.tables.ResultTables}).
 *
 * <p>Dependencies: the worker's records ({@code org.phasemap.worker}) and, for the views only,
 * Spark SQL (provided). The driver writes rows through these declarations and the jobs read columns
 * by these constants; neither spells a column name itself. No Parquet here: the driver turns a
 * {@link org.phasemap.tables.Table} into a Parquet schema.
 */
package org.phasemap.tables;
