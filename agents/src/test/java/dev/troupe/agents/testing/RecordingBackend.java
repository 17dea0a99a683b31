package dev.troupe.agents.testing;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.troupe.agents.model.ModelBackend;
import dev.troupe.agents.model.ModelRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Wraps a backend and keeps every request it is asked, to assert on prompts and call counts. */
public final class RecordingBackend implements ModelBackend {
    private final ModelBackend delegate;
    private final List<ModelRequest> requests = new CopyOnWriteArrayList<>();

    public RecordingBackend(ModelBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public String spec() {
        return delegate.spec();
    }

    @Override
    public String modelName() {
        return delegate.modelName();
    }

    @Override
    public boolean synthetic() {
        return delegate.synthetic();
    }

    @Override
    public ChatResponse chat(ModelRequest request) {
        requests.add(request);
        return delegate.chat(request);
    }

    public List<ModelRequest> requests() {
        return List.copyOf(requests);
    }

    public int calls() {
        return requests.size();
    }

    /** The requests made for {@code action}, in call order. */
    public List<ModelRequest> requests(String action) {
        return requests.stream().filter(r -> r.action().equals(action)).toList();
    }

    /** The prompt texts sent for {@code action}, in call order. */
    public List<String> prompts(String action) {
        return requests(action).stream().map(ModelRequest::promptText).toList();
    }

    /** The actions asked, in call order. */
    public List<String> actions() {
        return requests.stream().map(ModelRequest::action).toList();
    }
}
