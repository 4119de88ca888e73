// Lint for the web app. The boundaries rule keeps imports flowing one way, as STYLE.md asks:
// app -> features -> components/lib; a feature never imports another feature (the page in app/
// composes them), and components/lib never reach up into features or app.
import js from "@eslint/js";
import boundaries from "eslint-plugin-boundaries";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const element = (type, extra = {}) => ({ element: { type, ...extra } });

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "e2e-screenshots/**", "src/lib/api/schema.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks, boundaries },
    settings: {
      "import/resolver": { typescript: { project: "./tsconfig.json" } },
      "boundaries/include": ["src/**/*"],
      "boundaries/elements": [
        { type: "app", pattern: "src/app", partialMatch: false },
        { type: "feature", pattern: "src/features/*", partialMatch: false, capture: ["feature"] },
        { type: "components", pattern: "src/components", partialMatch: false },
        { type: "lib", pattern: "src/lib", partialMatch: false },
        { type: "test", pattern: "src/test", partialMatch: false },
        { type: "entry", pattern: "src/*.{ts,tsx}", partialMatch: false },
      ],
    },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "boundaries/dependencies": [2, {
        default: "disallow",
        policies: [
          { from: element("entry"), allow: { to: { element: { types: { anyOf: ["app", "lib", "components"] } } } } },
          { from: element("app"), allow: { to: { element: { types: { anyOf: ["app", "feature", "components", "lib"] } } } } },
          // A feature uses the shared floors and its own files, never another feature's.
          { from: element("feature"), allow: { to: { element: { types: { anyOf: ["components", "lib"] } } } } },
          { from: element("feature"), allow: { to: element("feature", { captured: { feature: "{{ from.element.captured.feature }}" } }) } },
          { from: element("components"), allow: { to: { element: { types: { anyOf: ["components", "lib"] } } } } },
          { from: element("lib"), allow: { to: element("lib") } },
          // Tests render the whole app through its router, so they may reach everything.
          { from: element("test"), allow: { to: { element: { types: { anyOf: ["app", "feature", "components", "lib", "test"] } } } } },
        ],
      }],
    },
  },
  {
    // Tests beside a feature may use the shared test helpers and render the app.
    files: ["src/**/*.test.{ts,tsx}"],
    rules: {
      "boundaries/dependencies": [2, {
        default: "allow",
        policies: [
          { from: element("feature"), disallow: { to: element("feature", { captured: { feature: "!{{ from.element.captured.feature }}" } }) } },
        ],
      }],
    },
  },
  {
    files: ["*.{js,mjs,ts}", "e2e/**/*.mjs", "scripts/**/*.mjs"],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
