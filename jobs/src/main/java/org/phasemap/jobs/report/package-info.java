/**
 * A static HTML report of a results root: per sweep, what ran (status and label counts, step
 * time, provenance), its phase map and scatter, and the curves of a representative run per label.
 * Pictures are inlined as {@code data:} URIs so the page is one file that can be mailed or
 * archived and opens without a server.
 */
package org.phasemap.jobs.report;
