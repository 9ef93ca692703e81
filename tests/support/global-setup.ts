// Placeholder until the database template is wired in (replaced below).
export default async function setup(): Promise<void> {}
