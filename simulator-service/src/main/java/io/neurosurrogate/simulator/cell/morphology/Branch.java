package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.SectionType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One unbranched piece of a reconstructed tree (a future section): its own traced 3-D points, its type,
 * its parent branch (null for a tree root, which hangs on the soma) and its child branches. The parent's
 * last point is NOT repeated in {@link #points()}; {@link Discretiser} adds it, as NEURON's Import3d does.
 * Mutable only while a reader builds the tree.
 */
public final class Branch {

    private final SectionType type;
    private final List<MorphPoint> points = new ArrayList<>();
    private final List<Branch> children = new ArrayList<>();
    private Branch parent;

    public Branch(SectionType type) {
        if (type == null || type == SectionType.SOMA) {
            throw new IllegalArgumentException("a branch must be axon, basal or apical, got " + type);
        }
        this.type = type;
    }

    public SectionType type() {
        return type;
    }

    /** Parent branch, or null for a tree root (attached to the soma). */
    public Branch parent() {
        return parent;
    }

    public List<MorphPoint> points() {
        return Collections.unmodifiableList(points);
    }

    public List<Branch> children() {
        return Collections.unmodifiableList(children);
    }

    public Branch addPoint(MorphPoint p) {
        points.add(p);
        return this;
    }

    /** Adds {@code child} as the next child of this branch; it must not have a parent yet. */
    public Branch addChild(Branch child) {
        if (child.parent != null || child == this) {
            throw new IllegalArgumentException("branch already has a parent");
        }
        child.parent = this;
        children.add(child);
        return this;
    }

    public MorphPoint firstPoint() {
        return points.get(0);
    }

    public MorphPoint lastPoint() {
        return points.get(points.size() - 1);
    }

    /** This branch and all its descendants, depth first, parents before children (pre-order). */
    public List<Branch> subtree() {
        List<Branch> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    private static void collect(Branch b, List<Branch> out) {
        out.add(b);
        for (Branch c : b.children) {
            collect(c, out);
        }
    }
}
