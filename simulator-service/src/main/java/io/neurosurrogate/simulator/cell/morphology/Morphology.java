package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.SectionType;

import java.util.ArrayList;
import java.util.List;

/**
 * A raw (not yet discretised) reconstruction: the soma and the trees hanging on it, in file order.
 * Lengths and diameters in um.
 *
 * @param source where it came from (file name or generator), for messages
 */
public record Morphology(String source, Soma soma, List<Branch> trees) {

    public Morphology {
        trees = List.copyOf(trees);
        for (Branch t : trees) {
            if (t.parent() != null) {
                throw new IllegalArgumentException(source + ": a tree root must not have a parent branch");
            }
        }
    }

    /** Tree roots of one type, in file order. */
    public List<Branch> trees(SectionType type) {
        return trees.stream().filter(t -> t.type() == type).toList();
    }

    /** All branches of all trees, each tree in pre-order. */
    public List<Branch> branches() {
        List<Branch> out = new ArrayList<>();
        for (Branch t : trees) {
            out.addAll(t.subtree());
        }
        return out;
    }
}
