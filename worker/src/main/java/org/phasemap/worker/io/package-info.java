/**
 * Moving models in and out of phasemap as plain NumPy files, so that a model trained here can be
 * inspected in Python and a model trained in PyTorch or TransformerLens can be measured and
 * classified by the same code as phasemap's own runs (SCIENCE.md section 4 item 7).
 *
 * <ul>
 *   <li>{@link org.phasemap.worker.io.Npy}: one array per {@code .npy} file (numpy.lib.format
 *       versions 1.0 to 3.0 read, 1.0 written).
 *   <li>{@link org.phasemap.worker.io.Npz}: many arrays in one {@code .npz} zip archive, as {@code
 *       numpy.savez} writes and {@code numpy.load} reads.
 *   <li>{@link org.phasemap.worker.io.ModelFiles}: a whole model: one {@code .npy} per tensor under
 *       its TransformerLens name plus {@code config.json}, as a directory or one {@code .npz};
 *       loading checks every tensor against the configuration.
 *   <li>{@link org.phasemap.worker.io.Json}: the strict flat-object reader and the writer these
 *       files and reports need, on Jackson's streaming API (the Jackson Spark brings).
 *   <li>{@link org.phasemap.worker.io.RunInputs}: a run's initial weights ({@code init_weights})
 *       and train/test split ({@code split}) given as files, resolved to {@code PATH@sha256:HEX}
 *       when a sweep is planned so that the content hash enters the run id, and checked against
 *       that hash before a task uses them.
 * </ul>
 *
 * <p>Bad input (a malformed file, a wrong shape, an unknown config key) throws {@link
 * java.lang.IllegalArgumentException} with a message of the form "Cannot &lt;do X&gt;: &lt;why&gt;
 * (got &lt;value&gt;)" naming the file or tensor; failures of the file system throw {@link
 * java.io.IOException}. The user-facing description of the format is docs/IMPORT.md.
 *
 * <p>Dependencies: {@code worker} ({@code RunConfig}), {@code worker.model} ({@code Parameters})
 * and {@code worker.data} ({@code ModularAddition}); ND4J and jackson-core. No Spark and no Hadoop:
 * the driver passes streams when it writes to a cluster file system.
 */
package org.phasemap.worker.io;
