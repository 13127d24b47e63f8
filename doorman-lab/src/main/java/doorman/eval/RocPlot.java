package doorman.eval;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * ROC curves as a PNG: FAR on a log axis from 1e-4 to 1, TAR linear. The part of a curve below FAR = 1/impostors is
 * dashed: there the data cannot tell FARs apart, so the curve only repeats the TAR reached at FAR 0.
 */
public final class RocPlot {

    public record Curve(String label, VerificationMetrics metrics) {
    }

    private static final int WIDTH = 900;
    private static final int HEIGHT = 660;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 56;
    private static final int BOTTOM = 70;
    private static final double MIN_LOG_FAR = -4;
    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private RocPlot() {
    }

    /** TAR axis from 0 to 1. */
    public static void write(Path png, String title, List<Curve> curves) throws IOException {
        write(png, title, curves, 0);
    }

    /** TAR axis from {@code minTar} (0 for the whole curve, 0.8 to zoom in on good encoders) to 1. */
    public static void write(Path png, String title, List<Curve> curves, double minTar) throws IOException {
        if (!(minTar >= 0 && minTar < 1)) throw new IllegalArgumentException("minTar must be in [0,1), got " + minTar);
        if (curves.isEmpty()) throw new IllegalArgumentException("no curves to plot");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            Axes axes = new Axes(minTar);
            drawGrid(g, axes);
            drawChanceLine(g, axes);
            for (int i = 0; i < curves.size(); i++) drawCurve(g, axes, curves.get(i).metrics(), PALETTE[i % PALETTE.length]);
            drawFrameAndLabels(g, axes, title);
            drawLegend(g, axes, curves);
        } finally {
            g.dispose();
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", png.toFile())) throw new IOException("no PNG writer available");
    }

    /** Maps FAR and TAR to pixels inside the plot area. */
    private record Axes(double minTar) {
        int x0() { return LEFT; }
        int x1() { return WIDTH - RIGHT; }
        int y0() { return HEIGHT - BOTTOM; }
        int y1() { return TOP; }

        double x(double far) {
            double log = Math.log10(Math.max(far, Math.pow(10, MIN_LOG_FAR)));
            return x0() + (log - MIN_LOG_FAR) / -MIN_LOG_FAR * (x1() - x0());
        }

        double y(double tar) {
            return y0() - (tar - minTar) / (1 - minTar) * (y0() - y1());
        }

        double tarStep() {
            return 1 - minTar > 0.5 ? 0.1 : 1 - minTar > 0.25 ? 0.05 : 0.02;
        }
    }

    private static void drawGrid(Graphics2D g, Axes a) {
        g.setStroke(new BasicStroke(1f));
        for (int decade = (int) MIN_LOG_FAR; decade < 0; decade++) {
            for (int k = 2; k <= 9; k++) {
                g.setColor(new Color(0xF0F0F0));
                double x = a.x(k * Math.pow(10, decade));
                g.draw(new Line2D.Double(x, a.y1(), x, a.y0()));
            }
        }
        g.setColor(new Color(0xD0D0D0));
        for (int decade = (int) MIN_LOG_FAR; decade <= 0; decade++) {
            double x = a.x(Math.pow(10, decade));
            g.draw(new Line2D.Double(x, a.y1(), x, a.y0()));
        }
        for (double t = a.minTar(); t <= 1 + 1e-9; t += a.tarStep()) {
            double y = a.y(t);
            g.draw(new Line2D.Double(a.x0(), y, a.x1(), y));
        }
    }

    private static void drawChanceLine(Graphics2D g, Axes a) {
        Path2D.Double line = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i <= 200; i++) {
            double far = Math.pow(10, MIN_LOG_FAR * (1 - i / 200.0));
            if (far < a.minTar()) continue;
            if (!started) line.moveTo(a.x(far), a.y(far));
            else line.lineTo(a.x(far), a.y(far));
            started = true;
        }
        g.setColor(new Color(0xA0A0A0));
        g.setStroke(dashed(1f));
        g.draw(line);
    }

    private static void drawCurve(Graphics2D g, Axes a, VerificationMetrics m, Color color) {
        List<VerificationMetrics.RocPoint> roc = m.roc();
        double minFar = Math.pow(10, MIN_LOG_FAR);
        double resolvable = 1.0 / m.impostorPairs();
        Path2D.Double unresolved = new Path2D.Double();
        Path2D.Double resolved = new Path2D.Double();
        // TAR reached at the left edge: the best corner not beyond it
        double startTar = 0;
        for (VerificationMetrics.RocPoint p : roc) if (p.far() <= minFar) startTar = p.tar();
        double prevFar = 0;
        double prevTar = startTar;
        Path2D.Double current = resolvable > minFar ? unresolved : resolved;
        current.moveTo(a.x(minFar), a.y(startTar));
        for (VerificationMetrics.RocPoint p : roc) {
            if (p.far() <= minFar) {
                prevFar = p.far();
                prevTar = p.tar();
                continue;
            }
            if (current == unresolved && p.far() >= resolvable) {
                double edgeTar = prevTar + (p.tar() - prevTar) * (resolvable - prevFar) / (p.far() - prevFar);
                unresolved.lineTo(a.x(resolvable), a.y(edgeTar));
                current = resolved;
                current.moveTo(a.x(resolvable), a.y(edgeTar));
            }
            current.lineTo(a.x(p.far()), a.y(p.tar()));
            prevFar = p.far();
            prevTar = p.tar();
        }
        g.setColor(color);
        Shape oldClip = g.getClip();
        g.clipRect(a.x0(), a.y1() - 2, a.x1() - a.x0() + 2, a.y0() - a.y1() + 2);
        g.setStroke(dashed(2f));
        g.draw(unresolved);
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(resolved);
        g.setClip(oldClip);
    }

    private static void drawFrameAndLabels(Graphics2D g, Axes a, String title) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1.2f));
        g.drawRect(a.x0(), a.y1(), a.x1() - a.x0(), a.y0() - a.y1());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (int decade = (int) MIN_LOG_FAR; decade <= 0; decade++) {
            String label = decade == 0 ? "1" : decade >= -2 ? String.valueOf(Math.pow(10, decade)) : "1e" + decade;
            int x = (int) Math.round(a.x(Math.pow(10, decade)));
            g.drawLine(x, a.y0(), x, a.y0() + 5);
            g.drawString(label, x - fm.stringWidth(label) / 2, a.y0() + 8 + fm.getAscent());
        }
        for (double t = a.minTar(); t <= 1 + 1e-9; t += a.tarStep()) {
            String label = String.format(Locale.ROOT, a.tarStep() < 0.05 ? "%.2f" : "%.1f", t);
            int y = (int) Math.round(a.y(t));
            g.drawLine(a.x0() - 5, y, a.x0(), y);
            g.drawString(label, a.x0() - 8 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        fm = g.getFontMetrics();
        String xLabel = "false accept rate (different people accepted), log scale";
        g.drawString(xLabel, (a.x0() + a.x1() - fm.stringWidth(xLabel)) / 2, HEIGHT - 22);
        String yLabel = "true accept rate (same person accepted)";
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(a.y0() + a.y1() + fm.stringWidth(yLabel)) / 2, 24);
        rotated.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 34);
    }

    private static void drawLegend(Graphics2D g, Axes a, List<Curve> curves) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        String[] lines = new String[curves.size()];
        int textWidth = 0;
        for (int i = 0; i < curves.size(); i++) {
            VerificationMetrics m = curves.get(i).metrics();
            lines[i] = String.format(Locale.ROOT, "%s   AUC %.4f   EER %.2f%%", curves.get(i).label(), m.auc(), 100 * m.eer());
            textWidth = Math.max(textWidth, fm.stringWidth(lines[i]));
        }
        boolean anyDashed = curves.stream().anyMatch(c -> 1.0 / c.metrics().impostorPairs() > Math.pow(10, MIN_LOG_FAR));
        String note = "dashed: FAR below 1 / different-person pairs, not resolved";
        Font noteFont = new Font(Font.SANS_SERIF, Font.ITALIC, 11);
        if (anyDashed) textWidth = Math.max(textWidth, g.getFontMetrics(noteFont).stringWidth(note) - 38);
        int row = fm.getHeight() + 4;
        int w = textWidth + 56;
        int h = row * curves.size() + 12 + (anyDashed ? row - 4 : 0);
        int x = a.x1() - w - 12;
        int y = a.y0() - h - 12;
        g.setColor(new Color(255, 255, 255, 235));
        g.fillRoundRect(x, y, w, h, 8, 8);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRoundRect(x, y, w, h, 8, 8);
        for (int i = 0; i < curves.size(); i++) {
            int baseline = y + 6 + row * i + fm.getAscent() + 2;
            int mid = baseline - fm.getAscent() / 2 + 1;
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setStroke(new BasicStroke(3f));
            g.drawLine(x + 10, mid, x + 40, mid);
            g.setColor(Color.BLACK);
            g.drawString(lines[i], x + 48, baseline);
        }
        if (anyDashed) {
            g.setFont(noteFont);
            g.setColor(Color.DARK_GRAY);
            g.drawString(note, x + 10, y + 6 + row * curves.size() + fm.getAscent());
        }
    }

    private static Stroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[]{6f, 5f}, 0f);
    }
}
