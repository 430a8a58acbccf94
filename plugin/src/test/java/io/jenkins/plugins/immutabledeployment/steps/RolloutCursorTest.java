package io.jenkins.plugins.immutabledeployment.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.immutabledeployment.canary.Traffic;
import io.jenkins.plugins.immutabledeployment.kube.DeploymentTarget;
import io.jenkins.plugins.immutabledeployment.rollout.PlanParser;
import io.jenkins.plugins.immutabledeployment.rollout.RolloutPlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cursor is all a canaryRollout keeps across a restart: it must serialise and give back the same plan. */
class RolloutCursorTest {

    private static final String IMAGE = "registry.example.com/shop/api@sha256:" + "ab".repeat(32);

    @Test
    @SuppressWarnings("rawtypes")
    void survivesSerialisationWithTheSamePlanTargetAndTraffic() throws Exception {
        CanaryRolloutStep step = new CanaryRolloutStep(IMAGE, "api");
        step.setSteps(List.<Map>of(Map.of("setWeight", 10), Map.of("pause", "manual"), Map.of("setWeight", 100)));
        step.setTraffic("gateway");
        step.setHttpRoute("api");
        step.setStableService("api-stable");
        step.setCanaryService("api-canary");
        Map<String, Object> arguments = CanaryRolloutStepExecution.planArguments(step);
        RolloutPlan plan = PlanParser.fromArguments(IMAGE, arguments);
        DeploymentTarget target = new DeploymentTarget("shop", "api", "app");
        RolloutCursor cursor = new RolloutCursor("rollout-12", "http://jenkins/job/api/7/", "prod", target, plan, arguments, step);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(cursor);
        }
        RolloutCursor back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (RolloutCursor) in.readObject();
        }

        assertEquals(plan.hash(), back.plan().hash());
        assertEquals(target, back.target());
        assertEquals(Traffic.gateway("api", "api-stable", "api-canary"), back.trafficSettings());
        assertEquals("prod", back.clusterKey());
    }
}
