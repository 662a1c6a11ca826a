package dev.livegateway.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws added latency (gateway minus direct) against the session count as a PNG, headless. */
final class LatencyPlot {

    private static final int W = 960;
    private static final int H = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 220;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final String[] PERCENTILES = {"p50", "p99", "p999"};
    private static final String[] LABELS = {"p50", "p99", "p99.9"};
    private static final float[][] DASHES = {{2f, 4f}, null, {10f, 5f}};
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
            new Color(0x9467bd)};

    private LatencyPlot() {}

    static void write(JsonNode report, Path png, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Integer> chunks = BenchReport.chunkSizes(report);
        double maxN = 1;
        double minY = 0;
        double maxY = BenchReport.ADDED_P99_TARGET_MS * 1.5;
        for (JsonNode pt : report.path("points")) {
            maxN = Math.max(maxN, pt.path("sessions").asDouble());
            for (String p : PERCENTILES) {
                double v = BenchReport.added(pt, p);
                maxY = Math.max(maxY, v);
                minY = Math.min(minY, v);
            }
        }
        maxY = niceCeiling(maxY * 1.05);
        minY = minY < 0 ? -niceCeiling(-minY * 1.05) : 0;

        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        Axis x = new Axis(0, maxN, LEFT, LEFT + plotW);
        Axis y = new Axis(minY, maxY, TOP + plotH, TOP);

        // grid and ticks
        g.setStroke(new BasicStroke(1));
        for (double v : ticks(minY, maxY)) {
            int py = y.px(v);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(fmt(v), LEFT - 8 - g.getFontMetrics().stringWidth(fmt(v)), py + 4);
        }
        for (double v : ticks(0, maxN)) {
            int px = x.px(v);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, TOP, px, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            String label = fmt(v);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("concurrent sessions", LEFT + plotW / 2 - 50, H - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("added round-trip latency (ms)", -(TOP + plotH / 2) - 80, 25);
        rotated.dispose();

        // the 10 ms target
        g.setColor(new Color(0xd62728));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        int ty = y.px(BenchReport.ADDED_P99_TARGET_MS);
        g.drawLine(LEFT, ty, LEFT + plotW, ty);
        g.drawString("p99 target 10 ms", LEFT + 8, ty - 5);

        int legendY = TOP + 10;
        for (int c = 0; c < chunks.size(); c++) {
            Color colour = COLOURS[c % COLOURS.length];
            for (int i = 0; i < PERCENTILES.length; i++) {
                List<int[]> pts = new ArrayList<>();
                for (JsonNode pt : report.path("points")) {
                    // An interleaved point whose gateway was dropped (exploded) has no gateway figures.
                    if (pt.path("chunkMs").asInt() == chunks.get(c) && pt.has("gateway")) {
                        pts.add(new int[] {x.px(pt.path("sessions").asDouble()), y.px(BenchReport.added(pt, PERCENTILES[i]))});
                    }
                }
                g.setColor(colour);
                g.setStroke(DASHES[i] == null ? new BasicStroke(2.2f)
                        : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, DASHES[i], 0));
                for (int k = 1; k < pts.size(); k++) {
                    g.drawLine(pts.get(k - 1)[0], pts.get(k - 1)[1], pts.get(k)[0], pts.get(k)[1]);
                }
                for (int[] p : pts) {
                    g.fillOval(p[0] - 3, p[1] - 3, 7, 7);
                }
                int lx = LEFT + plotW + 20;
                g.drawLine(lx, legendY, lx + 30, legendY);
                g.setColor(Color.BLACK);
                g.drawString(chunks.get(c) + " ms chunks, " + LABELS[i], lx + 38, legendY + 4);
                legendY += 20;
            }
            legendY += 10;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private record Axis(double min, double max, int from, int to) {
        int px(double v) {
            return (int) Math.round(from + (v - min) / (max - min) * (to - from));
        }
    }

    private static List<Double> ticks(double min, double max) {
        double step = niceCeiling((max - min) / 8);
        List<Double> ticks = new ArrayList<>();
        for (double v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) {
            ticks.add(v);
        }
        return ticks;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code v}. */
    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= v) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String fmt(double value) {
        double v = Math.abs(value) < 1e-9 ? 0 : value; // no "-0"
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }
}
