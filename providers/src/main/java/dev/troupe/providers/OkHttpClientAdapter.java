package dev.troupe.providers;

import static dev.langchain4j.http.client.sse.ServerSentEventListenerUtils.ignoringExceptions;

import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.FormDataFile;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * LangChain4j's {@link HttpClient} on OkHttp: HTTP/1.1 only, no transparent retries, and error
 * answers thrown as {@link HttpStatusException} with their headers.
 */
public final class OkHttpClientAdapter implements HttpClient {
    // Clients derived with newBuilder() share this one's connection pool and dispatcher.
    // HTTP/1.1 only: the JDK client's h2c upgrade headers break some OpenAI-compatible servers.
    // No retryOnConnectionFailure: the gateway owns retries and counts every attempt.
    private static final OkHttpClient SHARED = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.HTTP_1_1))
            .retryOnConnectionFailure(false)
            .build();

    private final OkHttpClient client;

    OkHttpClientAdapter(Duration connectTimeout, Duration readTimeout) {
        OkHttpClient.Builder b = SHARED.newBuilder();
        if (connectTimeout != null) {
            b.connectTimeout(connectTimeout);
        }
        if (readTimeout != null) {
            b.readTimeout(readTimeout);
        }
        this.client = b.build();
    }

    public static OkHttpClientAdapterBuilder builder() {
        return new OkHttpClientAdapterBuilder();
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        try (Response response = client.newCall(toOkHttp(request)).execute()) {
            String body = response.body().string();
            if (!response.isSuccessful()) {
                throw new HttpStatusException(response.code(), body, response.headers().toMultimap());
            }
            return SuccessfulHttpResponse.builder()
                    .statusCode(response.code())
                    .headers(response.headers().toMultimap())
                    .body(body)
                    .build();
        } catch (IOException e) {
            throw transportFailure(e);
        }
    }

    /** Streams on the calling thread: Troupe's gateway calls models synchronously anyway. */
    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        try (Response response = client.newCall(toOkHttp(request)).execute()) {
            if (!response.isSuccessful()) {
                HttpStatusException e = new HttpStatusException(response.code(), response.body().string(), response.headers().toMultimap());
                ignoringExceptions(() -> listener.onError(e));
                return;
            }
            SuccessfulHttpResponse opened = SuccessfulHttpResponse.builder()
                    .statusCode(response.code())
                    .headers(response.headers().toMultimap())
                    .build();
            ignoringExceptions(() -> listener.onOpen(opened));
            parser.parse(response.body().byteStream(), listener);
            ignoringExceptions(listener::onClose);
        } catch (IOException e) {
            RuntimeException failure = transportFailure(e);
            ignoringExceptions(() -> listener.onError(failure));
        } catch (RuntimeException e) {
            ignoringExceptions(() -> listener.onError(e));
        }
    }

    // LangChain4j's exception mapper passes RuntimeExceptions through unchanged, so the IOException
    // stays in the cause chain where ModelErrors looks for it.
    private static RuntimeException transportFailure(IOException e) {
        return e instanceof SocketTimeoutException ? new TimeoutException(e) : new UncheckedIOException(e);
    }

    private static Request toOkHttp(HttpRequest request) {
        Request.Builder b = new Request.Builder().url(request.url());
        String contentType = null;
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            if (h.getValue() == null) {
                continue;
            }
            for (String value : h.getValue()) {
                b.addHeader(h.getKey(), value);
                if (h.getKey().equalsIgnoreCase("Content-Type")) {
                    contentType = value;
                }
            }
        }
        MediaType type = contentType == null ? null : MediaType.parse(contentType);
        return b.method(request.method().name(), body(request, type)).build();
    }

    private static RequestBody body(HttpRequest request, MediaType type) {
        if (request.method() == HttpMethod.GET) {
            return null;
        }
        if (!request.formDataFields().isEmpty() || !request.formDataFiles().isEmpty()) {
            return multipart(request, type);
        }
        // Bytes rather than a String: OkHttp would append "; charset=utf-8" to the caller's Content-Type.
        byte[] bytes = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        return RequestBody.create(bytes, type);
    }

    // The caller's Content-Type names the boundary (LangChain4j's OpenAI client fixes one), so keep it.
    private static RequestBody multipart(HttpRequest request, MediaType type) {
        String boundary = type == null ? null : type.parameter("boundary");
        MultipartBody.Builder m = boundary == null ? new MultipartBody.Builder() : new MultipartBody.Builder(boundary);
        m.setType(MultipartBody.FORM);
        request.formDataFields().forEach(m::addFormDataPart);
        for (Map.Entry<String, FormDataFile> f : request.formDataFiles().entrySet()) {
            FormDataFile file = f.getValue();
            MediaType fileType = file.contentType() == null ? null : MediaType.parse(file.contentType());
            m.addFormDataPart(f.getKey(), file.fileName(), RequestBody.create(file.content(), fileType));
        }
        return m.build();
    }
}
