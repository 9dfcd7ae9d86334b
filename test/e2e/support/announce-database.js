// Jest globalSetup: say once which database the e2e suites run on.
module.exports = async () => {
  const url = process.env.DATABASE_URL;
  const which = url && /^postgres(ql)?:\/\//.test(url) ? `PostgreSQL (${url.replace(/\/\/[^@]*@/, '//')})` : 'in-memory SQLite';
  process.stdout.write(`\ne2e database: ${which}\n`);
};
