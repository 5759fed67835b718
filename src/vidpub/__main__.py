from vidpub.cli import main

main()
