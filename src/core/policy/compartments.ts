// The compartment tree: names and paths resolve to ids, and a grant on a
// compartment reaches every compartment below it. Bad data (unknown parents,
// cycles) degrades to "directly under the root" instead of looping.
import type { CompartmentInput } from './types.js';

/** No real tenancy nests compartments this deep (OCI allows 6 levels). */
const MAX_DEPTH = 64;

export class CompartmentTree {
  readonly rootId: string;
  readonly rootName: string;
  private readonly nodes = new Map<string, { name: string; parentId: string | undefined }>();
  /** parent id → lower-case child name → child id. */
  private readonly children = new Map<string, Map<string, string>>();
  private readonly pathCache = new Map<string, string[]>();

  constructor(tenancyId: string, compartments: readonly CompartmentInput[], tenancyName?: string) {
    this.rootId = tenancyId;
    const root = compartments.find((c) => c.id === tenancyId);
    this.rootName = tenancyName ?? root?.name ?? 'tenancy';
    this.nodes.set(tenancyId, { name: this.rootName, parentId: undefined });
    for (const c of compartments) {
      if (c.id === tenancyId) continue;
      const parentId = c.parentId ?? tenancyId;
      this.nodes.set(c.id, { name: c.name, parentId });
    }
    for (const [id, node] of this.nodes) {
      if (node.parentId === undefined) continue;
      let kids = this.children.get(node.parentId);
      if (!kids) this.children.set(node.parentId, (kids = new Map()));
      const key = node.name.toLowerCase();
      if (!kids.has(key)) kids.set(key, id);
    }
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  nameOf(id: string): string | undefined {
    return this.nodes.get(id)?.name;
  }

  /** Ids from `id` up to the root, `id` first; the root is always included. */
  ancestorsOf(id: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    let cur: string | undefined = id;
    while (cur !== undefined && !seen.has(cur) && out.length < MAX_DEPTH) {
      seen.add(cur);
      out.push(cur);
      cur = this.nodes.get(cur)?.parentId;
    }
    if (!seen.has(this.rootId)) out.push(this.rootId);
    return out;
  }

  /** Names below the root, e.g. `['Finance', 'Prod']`; `[]` for the root; undefined when unknown. */
  pathOf(id: string): string[] | undefined {
    if (!this.nodes.has(id)) return undefined;
    const cached = this.pathCache.get(id);
    if (cached) return cached;
    const chain = this.ancestorsOf(id);
    const path: string[] = [];
    for (let i = chain.length - 1; i >= 0; i--) {
      const cid = chain[i] as string;
      if (cid === this.rootId) continue;
      path.push(this.nodes.get(cid)?.name ?? cid);
    }
    this.pathCache.set(id, path);
    return path;
  }

  /** `the tenancy`, `compartment Finance:Prod`, or `compartment ocid1…` when unknown. */
  describe(id: string): string {
    if (id === this.rootId) return 'the tenancy';
    const path = this.pathOf(id);
    return path ? `compartment ${path.join(':')}` : `compartment ${id}`;
  }

  /**
   * Resolves `compartment A:B:C` written in a policy attached to `fromId`:
   * A is a child of `fromId`, B a child of A, and so on. A single name equal
   * to the policy's own compartment names that compartment.
   */
  resolvePath(fromId: string, path: readonly string[]): string | undefined {
    if (path.length === 0) return this.nodes.has(fromId) ? fromId : undefined;
    let cur: string | undefined = fromId;
    for (const name of path) {
      cur = this.children.get(cur)?.get(name.toLowerCase());
      if (cur === undefined) break;
    }
    if (cur !== undefined) return cur;
    if (path.length === 1 && fromId !== this.rootId && this.nodes.get(fromId)?.name.toLowerCase() === path[0]?.toLowerCase()) {
      return fromId;
    }
    return undefined;
  }
}
