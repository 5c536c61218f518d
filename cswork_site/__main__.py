from cswork_site.cli.main import run

run()
