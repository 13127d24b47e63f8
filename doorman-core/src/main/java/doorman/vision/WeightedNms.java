package doorman.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * BlazeFace's tie resolution: instead of dropping the boxes that overlap the best one, average them all,
 * weighted by score, which steadies the box and keypoints from frame to frame. The merged face keeps the
 * best score.
 */
final class WeightedNms {

    private WeightedNms() {
    }

    static List<Face> merge(List<Face> candidates, float iouThreshold) {
        List<Face> remaining = new ArrayList<>(candidates);
        remaining.sort(Comparator.comparingDouble(Face::score).reversed());
        List<Face> merged = new ArrayList<>();
        while (!remaining.isEmpty()) {
            Face best = remaining.get(0);
            List<Face> cluster = new ArrayList<>();
            List<Face> rest = new ArrayList<>();
            cluster.add(best);
            for (Face other : remaining.subList(1, remaining.size())) {
                (iou(best, other) > iouThreshold ? cluster : rest).add(other);
            }
            merged.add(average(cluster, best.score()));
            remaining = rest;
        }
        return merged;
    }

    static float iou(Face a, Face b) {
        float left = Math.max(a.x(), b.x());
        float top = Math.max(a.y(), b.y());
        float right = Math.min(a.x() + a.width(), b.x() + b.width());
        float bottom = Math.min(a.y() + a.height(), b.y() + b.height());
        float intersection = Math.max(0, right - left) * Math.max(0, bottom - top);
        float union = a.area() + b.area() - intersection;
        return union > 0 ? intersection / union : 0;
    }

    private static Face average(List<Face> cluster, float score) {
        if (cluster.size() == 1) return cluster.get(0);
        double total = 0, x1 = 0, y1 = 0, x2 = 0, y2 = 0;
        double[] keypoints = new double[2 * Face.KEYPOINTS];
        for (Face f : cluster) {
            double w = f.score();
            total += w;
            x1 += w * f.x();
            y1 += w * f.y();
            x2 += w * (f.x() + f.width());
            y2 += w * (f.y() + f.height());
            float[] k = f.keypoints();
            for (int i = 0; i < k.length; i++) keypoints[i] += w * k[i];
        }
        float[] meanKeypoints = new float[keypoints.length];
        for (int i = 0; i < keypoints.length; i++) meanKeypoints[i] = (float) (keypoints[i] / total);
        return new Face((float) (x1 / total), (float) (y1 / total),
                (float) ((x2 - x1) / total), (float) ((y2 - y1) / total), score, meanKeypoints);
    }
}
