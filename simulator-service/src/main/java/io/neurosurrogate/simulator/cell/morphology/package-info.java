/**
 * Morphology import and discretisation: raw reconstructions ({@link
 * io.neurosurrogate.simulator.cell.morphology.Morphology}: soma plus trees of {@link
 * io.neurosurrogate.simulator.cell.morphology.Branch}es with 3-D points in um) read from Neurolucida .asc
 * or SWC files, or generated ({@link io.neurosurrogate.simulator.cell.morphology.DefaultL5pcMorphology}),
 * and turned into a {@link io.neurosurrogate.simulator.cell.model.CellGeometry} with the Hay et al. 2011
 * rules ({@link io.neurosurrogate.simulator.cell.morphology.Discretiser}).
 */
package io.neurosurrogate.simulator.cell.morphology;
