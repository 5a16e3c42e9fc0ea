// Lets the root `tsc` (NodeNext, no Svelte plugin) type-check renderer tests that import
// components; the renderer's own svelte-check checks the components themselves.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
