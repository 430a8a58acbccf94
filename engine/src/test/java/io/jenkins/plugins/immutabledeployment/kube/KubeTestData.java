package io.jenkins.plugins.immutabledeployment.kube;

/** Names and images the kube tests share. */
final class KubeTestData {

    static final DeploymentTarget API = DeploymentTarget.of("shop", "api");
    /** What the stable Deployment runs when a test starts. */
    static final String STABLE_IMAGE = image('1').reference();
    static final PinnedImage V2 = image('2');
    static final PinnedImage V3 = image('3');

    private KubeTestData() {}

    /** {@code registry.example.com/shop/api@sha256:<hex repeated 64 times>}. */
    static PinnedImage image(char hex) {
        return PinnedImage.parse("registry.example.com/shop/api@sha256:" + String.valueOf(hex).repeat(64), "image");
    }
}
