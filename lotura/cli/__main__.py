from lotura.cli import main

main()
