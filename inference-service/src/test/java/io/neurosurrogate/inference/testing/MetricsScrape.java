package io.neurosurrogate.inference.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * One scrape of the service's Prometheus endpoint, read the way Prometheus reads it: a sample is a line
 * {@code name{label="value",...} number}, optionally followed by an OpenMetrics exemplar
 * ({@code # {trace_id="...",span_id="..."} value timestamp}, the trace of a request that was counted).
 */
public final class MetricsScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<String> lines;

    private MetricsScrape(List<String> lines) {
        this.lines = lines;
    }

    public static MetricsScrape of(URI endpoint) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET " + endpoint + " answered " + response.statusCode() + ": " + response.body());
            }
            return new MetricsScrape(response.body().lines().toList());
        } catch (IOException e) {
            throw new AssertionError("GET " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The sample of {@code name} carrying all of {@code labels} ("key", "value", ...), 0 when there is none
     * (a labelled meter appears only once something was recorded in it).
     */
    public double value(String name, String... labels) {
        for (String sampleLine : lines) {
            int exemplar = sampleLine.indexOf(" # ");
            String line = exemplar < 0 ? sampleLine : sampleLine.substring(0, exemplar);
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                String series = line.substring(0, line.lastIndexOf(' '));
                if (hasAll(series, labels)) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }

    private static boolean hasAll(String series, String[] labels) {
        for (int i = 0; i < labels.length; i += 2) {
            String label = labels[i] + "=\"" + labels[i + 1] + "\"";
            if (!series.contains("{" + label) && !series.contains("," + label)) {
                return false;
            }
        }
        return true;
    }
}
