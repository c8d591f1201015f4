package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.SectionType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads standard SWC files: one point per line, {@code id type x y z radius parent} (um), {@code #}
 * comments, parent -1 for a root. Types: 1 soma, 2 axon, 3 basal dendrite, 4 apical dendrite; other
 * types take their parent's type.
 *
 * <p>Soma: a single point (its radius), the NeuroMorpho 3-point convention or a stack of soma points
 * along an axis (sphere with the area of the soma frusta; for the 3-point soma this is exactly the given
 * radius), or a contour (when the points lie farther from their centroid than their mean radius:
 * centroid and mean distance, as for Neurolucida contours). Non-soma points hanging on the soma start
 * trees; a non-soma point with parent -1 also starts a tree on the soma.
 *
 * <p>Each run of points between branch points (or type changes) becomes one {@link Branch}.
 */
public final class SwcReader {

    private SwcReader() {
    }

    public static Morphology read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(text, file.getFileName().toString());
    }

    private record Sample(int id, int type, MorphPoint p, int parent, int line) {
    }

    /** Parses SWC text; {@code source} names it in error messages. */
    public static Morphology parse(String text, String source) {
        List<Sample> samples = new ArrayList<>();
        Map<Integer, Integer> byId = new HashMap<>();
        String[] lines = text.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            l = l.strip();
            if (l.isEmpty()) {
                continue;
            }
            int lineNo = i + 1;
            String[] f = l.split("\\s+");
            if (f.length < 7) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected 7 fields (id type x y z radius parent), got " + f.length);
            }
            int id = integer(f[0], "id", source, lineNo);
            int type = integer(f[1], "type", source, lineNo);
            double x = number(f[2], "x", source, lineNo);
            double y = number(f[3], "y", source, lineNo);
            double z = number(f[4], "z", source, lineNo);
            double radius = number(f[5], "radius", source, lineNo);
            int parent = integer(f[6], "parent", source, lineNo);
            if (radius < 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": negative radius " + radius);
            }
            if (type < 0) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": negative type " + type);
            }
            if (byId.put(id, samples.size()) != null) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": duplicate id " + id);
            }
            samples.add(new Sample(id, type, new MorphPoint(x, y, z, 2 * radius), parent, lineNo));
        }
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(source + ": no points");
        }

        int n = samples.size();
        int[] parentIdx = new int[n];
        List<List<Integer>> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            if (s.parent == -1) {
                parentIdx[i] = -1;
                continue;
            }
            Integer p = byId.get(s.parent);
            if (p == null) {
                throw new IllegalArgumentException(source + ":" + s.line + ": point " + s.id + " has unknown parent " + s.parent);
            }
            if (p == i) {
                throw new IllegalArgumentException(source + ":" + s.line + ": point " + s.id + " is its own parent");
            }
            parentIdx[i] = p;
            children.get(p).add(i);
        }

        // types: soma stays soma; unknown types inherit from the parent (resolved root-first)
        SectionType[] type = new SectionType[n];
        List<Integer> order = preorder(samples, parentIdx, children, source);
        List<MorphPoint> somaPts = new ArrayList<>();
        List<Integer> somaIdx = new ArrayList<>();
        for (int i : order) {
            Sample s = samples.get(i);
            SectionType t = switch (s.type) {
                case 1 -> SectionType.SOMA;
                case 2 -> SectionType.AXON;
                case 3 -> SectionType.BASAL;
                case 4 -> SectionType.APICAL;
                default -> parentIdx[i] >= 0 && type[parentIdx[i]] != SectionType.SOMA ? type[parentIdx[i]] : null;
            };
            if (t == null) {
                throw new IllegalArgumentException(source + ":" + s.line + ": point " + s.id + " has type " + s.type
                        + ", which is not 1-4, and no dendrite or axon parent to take the type from");
            }
            if (t == SectionType.SOMA && parentIdx[i] >= 0 && type[parentIdx[i]] != SectionType.SOMA) {
                throw new IllegalArgumentException(source + ":" + s.line + ": soma point " + s.id + " hangs on a non-soma point");
            }
            type[i] = t;
            if (t == SectionType.SOMA) {
                somaPts.add(s.p);
                somaIdx.add(i);
            }
        }
        if (somaPts.isEmpty()) {
            throw new IllegalArgumentException(source + ": no soma (type 1) point");
        }
        Soma soma = soma(samples, parentIdx, type, somaIdx, somaPts);

        // branches: a new branch starts at a tree root, after a branch point, or where the type changes
        List<Branch> trees = new ArrayList<>();
        Branch[] branchOf = new Branch[n];
        for (int i : order) {
            if (type[i] == SectionType.SOMA) {
                continue;
            }
            int p = parentIdx[i];
            Branch b;
            if (p < 0 || type[p] == SectionType.SOMA) {
                b = new Branch(type[i]);
                trees.add(b);
            } else if (children.get(p).size() > 1 || type[p] != type[i]) {
                b = new Branch(type[i]);
                branchOf[p].addChild(b);
            } else {
                b = branchOf[p];
            }
            b.addPoint(samples.get(i).p);
            branchOf[i] = b;
        }
        if (trees.isEmpty()) {
            throw new IllegalArgumentException(source + ": no axon or dendrite points");
        }
        return new Morphology(source, soma, trees);
    }

    /** Roots in file order, each subtree depth first with children in file order; rejects cycles. */
    private static List<Integer> preorder(List<Sample> samples, int[] parentIdx, List<List<Integer>> children, String source) {
        int n = samples.size();
        List<Integer> out = new ArrayList<>(n);
        boolean[] seen = new boolean[n];
        int[] stack = new int[n];
        for (int r = 0; r < n; r++) {
            if (parentIdx[r] != -1) {
                continue;
            }
            int top = 0;
            stack[top++] = r;
            while (top > 0) {
                int i = stack[--top];
                seen[i] = true;
                out.add(i);
                List<Integer> c = children.get(i);
                for (int k = c.size() - 1; k >= 0; k--) {
                    stack[top++] = c.get(k);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!seen[i]) {
                Sample s = samples.get(i);
                throw new IllegalArgumentException(source + ":" + s.line + ": point " + s.id + " is on a parent cycle (never reaches a root)");
            }
        }
        return out;
    }

    private static Soma soma(List<Sample> samples, int[] parentIdx, SectionType[] type, List<Integer> somaIdx,
                             List<MorphPoint> pts) {
        if (pts.size() == 1) {
            MorphPoint p = pts.get(0);
            if (!(p.diamUm() > 0)) {
                throw new IllegalArgumentException("single-point soma needs a radius > 0 (line " + samples.get(somaIdx.get(0)).line + ")");
            }
            return new Soma(p.x(), p.y(), p.z(), p.diamUm() / 2, pts);
        }
        Soma contour = Soma.fromContour(pts);
        double meanRadius = 0;
        for (MorphPoint p : pts) {
            meanRadius += p.diamUm() / 2;
        }
        meanRadius /= pts.size();
        if (contour.radiusUm() >= meanRadius) {
            return contour;
        }
        // points along an axis with radii (3-point soma, cylinder stack): sphere of the same side area
        double area = 0;
        for (int i : somaIdx) {
            int p = parentIdx[i];
            if (p >= 0 && type[p] == SectionType.SOMA) {
                MorphPoint a = samples.get(p).p;
                MorphPoint b = samples.get(i).p;
                double h = a.distanceTo(b);
                double dr = (a.diamUm() - b.diamUm()) / 2;
                area += Math.PI * (a.diamUm() + b.diamUm()) / 2 * Math.sqrt(h * h + dr * dr);
            }
        }
        double r = area > 0 ? Math.sqrt(area / (4 * Math.PI)) : meanRadius;
        return new Soma(contour.x(), contour.y(), contour.z(), r, pts);
    }

    private static int integer(String s, String field, String source, int line) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(s); // some writers print ids as 12.0
                if (d == Math.rint(d) && Math.abs(d) < Integer.MAX_VALUE) {
                    return (int) d;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(source + ":" + line + ": bad " + field + " '" + s + "' (expected an integer)");
        }
    }

    private static double number(String s, String field, String source, int line) {
        double d;
        try {
            d = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ":" + line + ": bad number '" + s + "' for " + field);
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(source + ":" + line + ": bad number '" + s + "' for " + field);
        }
        return d;
    }
}
