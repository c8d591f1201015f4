package io.neurosurrogate.simulator.cell.morphology;

import io.neurosurrogate.simulator.cell.model.SectionType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Neurolucida ASCII (.asc) reconstructions (units um).
 *
 * <p>The file is a sequence of parenthesised S-expressions. Recognised top-level blocks:
 * <ul>
 *   <li>the soma: a block named {@code "CellBody"} or containing {@code (CellBody)}; several such
 *       contours (a soma stack) are merged. Without one, the closed contour ({@code (Closed)}) on whose
 *       outline the tree roots best sit is taken (files also hold other contours, e.g. slice outlines);</li>
 *   <li>trees: blocks containing {@code (Dendrite)} (basal), {@code (Apical)} or {@code (Axon)}, then
 *       points {@code (x y z d [S1])}; a nested group {@code ( branch | branch | ... )} after the points
 *       splits the branch into sibling children;</li>
 *   <li>everything else (headers, markers such as {@code (Cross ...)}, properties, spines {@code <(...)>},
 *       end words {@code Normal}, {@code Incomplete}, {@code High}, {@code Low}, {@code Generated}) is
 *       skipped. {@code ;} starts a comment, commas are separators.</li>
 * </ul>
 * Malformed input gives an {@link IllegalArgumentException} naming the file and line.
 */
public final class AscReader {

    private AscReader() {
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

    /** Parses .asc text; {@code source} names it in error messages. */
    public static Morphology parse(String text, String source) {
        List<Node> top = new SExprParser(text, source).parseAll();
        List<MorphPoint> somaPoints = new ArrayList<>();
        List<List<MorphPoint>> closedContours = new ArrayList<>();
        List<Branch> trees = new ArrayList<>();
        for (Node n : top) {
            if (!(n instanceof ListNode l) || l.spine) {
                continue;
            }
            if (isSoma(l)) {
                somaPoints.addAll(contourPoints(l, source));
            } else {
                SectionType type = treeType(l);
                if (type != null) {
                    trees.add(parseBranch(l.items, type, source, l.line));
                } else if (hasWordList(l, "Closed")) {
                    closedContours.add(contourPoints(l, source));
                }
            }
        }
        if (trees.isEmpty()) {
            throw new IllegalArgumentException(source + ": no Dendrite, Apical or Axon tree found");
        }
        if (somaPoints.isEmpty()) {
            somaPoints = nearestContour(closedContours, trees, source);
        }
        return new Morphology(source, Soma.fromContour(somaPoints), trees);
    }

    // ---- interpretation -------------------------------------------------------------------------------

    private static boolean isSoma(ListNode l) {
        if (!l.items.isEmpty() && l.items.get(0) instanceof Atom a && a.quoted && a.text.equalsIgnoreCase("CellBody")) {
            return true;
        }
        return hasWordList(l, "CellBody");
    }

    /** True if {@code l} directly contains a list whose first item is the bare word {@code word}. */
    private static boolean hasWordList(ListNode l, String word) {
        for (Node n : l.items) {
            if (n instanceof ListNode s && !s.items.isEmpty() && s.items.get(0) instanceof Atom a
                    && !a.quoted && a.text.equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    private static SectionType treeType(ListNode l) {
        if (hasWordList(l, "Dendrite")) {
            return SectionType.BASAL;
        }
        if (hasWordList(l, "Apical")) {
            return SectionType.APICAL;
        }
        if (hasWordList(l, "Axon")) {
            return SectionType.AXON;
        }
        return null;
    }

    private static List<MorphPoint> contourPoints(ListNode l, String source) {
        List<MorphPoint> pts = new ArrayList<>();
        for (Node n : l.items) {
            if (n instanceof ListNode s && isPoint(s)) {
                pts.add(point(s, source));
            }
        }
        if (pts.isEmpty()) {
            throw new IllegalArgumentException(source + ":" + l.line + ": soma contour has no points");
        }
        return pts;
    }

    /**
     * The closed contour that best fits the tree roots, which start on the soma surface: smallest mean
     * | |root - centroid| - mean radius |.
     */
    private static List<MorphPoint> nearestContour(List<List<MorphPoint>> contours, List<Branch> trees, String source) {
        if (contours.isEmpty()) {
            throw new IllegalArgumentException(source + ": no soma (no CellBody and no closed contour)");
        }
        List<MorphPoint> best = null;
        double bestMisfit = Double.POSITIVE_INFINITY;
        for (List<MorphPoint> c : contours) {
            Soma s = Soma.fromContour(c);
            double misfit = 0;
            for (Branch t : trees) {
                misfit += Math.abs(t.firstPoint().distanceTo(s.centre()) - s.radiusUm());
            }
            if (misfit < bestMisfit) {
                bestMisfit = misfit;
                best = c;
            }
        }
        return best;
    }

    /**
     * One branch from the items of its list: points, then optionally one split group whose
     * '|'-separated parts are the children. Other items are skipped.
     */
    private static Branch parseBranch(List<Node> items, SectionType type, String source, int line) {
        Branch b = new Branch(type);
        boolean split = false;
        for (Node n : items) {
            if (n instanceof Bar bar) {
                throw new IllegalArgumentException(source + ":" + bar.line + ": '|' outside a branch split");
            }
            if (!(n instanceof ListNode l) || l.spine || l.items.isEmpty()) {
                continue; // end words (Normal, Incomplete, ...), spines, ()
            }
            Node first = l.items.get(0);
            if (first instanceof Atom a) {
                if (!a.quoted && looksNumeric(a.text)) {
                    if (split) {
                        throw new IllegalArgumentException(source + ":" + l.line + ": point after a branch split");
                    }
                    b.addPoint(point(l, source));
                }
                continue; // property or marker block
            }
            if (split) {
                throw new IllegalArgumentException(source + ":" + l.line + ": second branch split in one branch");
            }
            split = true;
            List<Node> part = new ArrayList<>();
            int partLine = l.line;
            for (Node c : l.items) {
                if (c instanceof Bar) {
                    b.addChild(parseBranch(part, type, source, partLine));
                    part = new ArrayList<>();
                    partLine = c.line();
                } else {
                    part.add(c);
                }
            }
            b.addChild(parseBranch(part, type, source, partLine));
        }
        if (b.points().isEmpty()) {
            throw new IllegalArgumentException(source + ":" + line + ": branch without points");
        }
        return b;
    }

    private static boolean isPoint(ListNode l) {
        return !l.spine && !l.items.isEmpty() && l.items.get(0) instanceof Atom a && !a.quoted && looksNumeric(a.text);
    }

    private static boolean looksNumeric(String s) {
        char c = s.charAt(0);
        return Character.isDigit(c) || c == '-' || c == '+' || c == '.';
    }

    private static MorphPoint point(ListNode l, String source) {
        double[] v = new double[4];
        for (int i = 0; i < 4; i++) {
            if (i >= l.items.size() || !(l.items.get(i) instanceof Atom a) || a.quoted) {
                throw new IllegalArgumentException(source + ":" + l.line + ": a point needs 4 numbers (x y z d)");
            }
            try {
                v[i] = Double.parseDouble(a.text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ":" + a.line + ": bad number '" + a.text + "'");
            }
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(source + ":" + a.line + ": bad number '" + a.text + "'");
            }
        }
        if (v[3] < 0) {
            throw new IllegalArgumentException(source + ":" + l.line + ": negative diameter " + v[3]);
        }
        return new MorphPoint(v[0], v[1], v[2], v[3]);
    }

    // ---- generic S-expression layer -------------------------------------------------------------------

    private sealed interface Node permits Atom, Bar, ListNode {
        int line();
    }

    /** A word, number or quoted string. */
    private record Atom(int line, String text, boolean quoted) implements Node {
    }

    /** The '|' sibling separator. */
    private record Bar(int line) implements Node {
    }

    /** {@code ( ... )}, or {@code < ... >} (a spine) when {@code spine}. */
    private record ListNode(int line, boolean spine, List<Node> items) implements Node {
    }

    /** Tokenizer and parser in one pass: builds the nested lists, checking that brackets balance. */
    private static final class SExprParser {
        private final String s;
        private final String source;
        private int pos;
        private int line = 1;

        SExprParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        List<Node> parseAll() {
            List<Node> top = new ArrayList<>();
            Node n;
            while ((n = next((char) 0)) != null) {
                top.add(n);
            }
            return top;
        }

        /** Next node; {@code close} is the bracket that ends the enclosing list (0 at top level). */
        private Node next(char close) {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\n') {
                    line++;
                    pos++;
                } else if (Character.isWhitespace(c) || c == ',') {
                    pos++;
                } else if (c == ';') {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (c == '(' || c == '<') {
                    int start = line;
                    pos++;
                    char want = c == '(' ? ')' : '>';
                    List<Node> items = new ArrayList<>();
                    Node item;
                    while ((item = next(want)) != null) {
                        items.add(item);
                    }
                    if (pos >= s.length()) {
                        throw new IllegalArgumentException(source + ":" + start + ": '" + c + "' opened here is never closed");
                    }
                    pos++; // the closing bracket
                    return new ListNode(start, c == '<', items);
                } else if (c == ')' || c == '>') {
                    if (c != close) {
                        throw new IllegalArgumentException(source + ":" + line + ": unexpected '" + c + "'"
                                + (close == 0 ? " (no open bracket)" : " (expected '" + close + "')"));
                    }
                    return null; // caller consumes it
                } else if (c == '|') {
                    pos++;
                    return new Bar(line);
                } else if (c == '"') {
                    int start = line;
                    int end = s.indexOf('"', pos + 1);
                    if (end < 0) {
                        throw new IllegalArgumentException(source + ":" + start + ": unterminated string");
                    }
                    String text = s.substring(pos + 1, end);
                    line += (int) text.chars().filter(ch -> ch == '\n').count();
                    pos = end + 1;
                    return new Atom(start, text, true);
                } else {
                    int start = pos;
                    while (pos < s.length() && !isDelimiter(s.charAt(pos))) {
                        pos++;
                    }
                    return new Atom(line, s.substring(start, pos), false);
                }
            }
            return null; // end of input; an open list is reported by the caller
        }

        private static boolean isDelimiter(char c) {
            return Character.isWhitespace(c) || c == '(' || c == ')' || c == '<' || c == '>' || c == '|'
                    || c == ';' || c == ',' || c == '"';
        }
    }
}
