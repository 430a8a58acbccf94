package io.jenkins.plugins.immutabledeployment.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import hudson.model.Item;
import hudson.model.Run;
import io.jenkins.plugins.immutabledeployment.InvalidInputException;
import io.jenkins.plugins.immutabledeployment.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.WebMethod;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;
import org.kohsuke.stapler.verb.GET;

/**
 * What a build did with immutable images: the engine's JSON model document (provenance, promotions,
 * rollouts, rollbacks; the ui module renders it) and the list of Deployment changes the job page summarises.
 * Both are plain data (JSON text and {@link ReleaseRecord}s) so that XStream keeps loading old builds.
 * Served at {@code <build>/immutable-deployment/} and exported under the build's {@code api/json}.
 */
@ExportedBean
public final class DeploymentAction implements RunAction2 {

    public static final String URL_NAME = "immutable-deployment";

    private String modelJson;
    private List<ReleaseRecord> releases = new ArrayList<>();
    private transient Run<?, ?> run;

    /** @param modelJson the engine's model document, a JSON object */
    public DeploymentAction(String modelJson) {
        this.modelJson = requireJsonObject(modelJson);
    }

    protected Object readResolve() {
        if (releases == null) {
            releases = new ArrayList<>();
        }
        if (modelJson == null) {
            modelJson = "{}";
        }
        return this;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    /** The engine's model document as stored. */
    public synchronized String getModelJson() {
        return modelJson;
    }

    /** The model document as a tree of maps and lists, for {@code api/json}. */
    @Exported(name = "model")
    public Map<String, Object> getModel() {
        try {
            return Json.mapper().readValue(getModelJson(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored deployment model is not JSON", e);
        }
    }

    @Exported
    public synchronized List<ReleaseRecord> getReleases() {
        return List.copyOf(releases);
    }

    /** Replaces the model document (the engine emits a whole new one per event) and saves the build. */
    public void replaceModel(String json) throws IOException {
        String checked = requireJsonObject(json);
        synchronized (this) {
            modelJson = checked;
        }
        save();
    }

    /** Adds a Deployment change and saves the build. */
    public void addRelease(ReleaseRecord release) throws IOException {
        synchronized (this) {
            releases.add(release);
        }
        save();
    }

    /** The model document for the ui module's script; readable by whoever may read the build. */
    @GET
    @WebMethod(name = "model.json")
    public void doModelJson(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        run.checkPermission(Item.READ);
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.setHeader("Cache-Control", "no-cache");
        rsp.setHeader("X-Content-Type-Options", "nosniff");
        try (PrintWriter w = rsp.getWriter()) {
            w.write(getModelJson());
        }
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return "Immutable Deployment";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    private void save() throws IOException {
        Run<?, ?> r = run;
        if (r != null) {
            r.save();
        }
    }

    private static String requireJsonObject(String json) {
        JsonNode node;
        try {
            node = json == null ? null : Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("model", "is not a JSON object", "the engine's model document");
        }
        return json;
    }
}
