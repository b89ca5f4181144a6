// SPEC §1: who may do what. Routes declare the roles they admit from this list.
export const ROLES = [
  'agent', 'support_l2', 'support_l3', 'supervisor', 'sales_manager', 'finance', 'legal',
  'contract_admin', 'fulfilment', 'knowledge_engineer', 'manager', 'admin',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export interface Actor {
  id: string;
  name: string;
  roles: Role[];
}
